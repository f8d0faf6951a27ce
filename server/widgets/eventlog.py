"""The event log: every event a recorded client sends and receives, live."""

from __future__ import annotations

from ..packets import payload_text
from ..recorder import Received
from ._base import LiveTable

__all__ = ["EventLog"]

OUT_COLOR = "#1f6feb"  # client -> server
IN_COLOR = "#1a7f37"   # server -> client


class EventLog(LiveTable):
    """A live table of Socket.IO events: order, client, direction, namespace, event, payload.

    Feed it from one or more recorders (``record(client, "alice", log=log)`` or
    ``log.watch(recorder)``); rows are added from the client's threads as events happen.
    Outgoing rows (client to server) are blue, incoming (server to client) green; an
    acknowledgement shows as ``ack(event)``.

    :param title: caption above the table (default ``"Socket.IO events"``).
    :param max_rows: newest rows kept (default 200).
    """

    def __init__(self, title: str = "Socket.IO events", max_rows: int = 200):
        super().__init__(["#", "client", "direction", "namespace", "event", "payload"],
                         title=title, max_rows=max_rows)

    def watch(self, recorder) -> "EventLog":
        """Show ``recorder``'s events from now on. Returns the log, for chaining."""
        recorder.add_listener(self._on_event)
        return self

    def _on_event(self, rec: Received) -> None:
        direction = "client → server" if rec.direction == "out" else "server → client"
        event = rec.event if rec.kind == "event" else f"ack({rec.event})"
        payload = ", ".join(payload_text(a) for a in rec.args)
        self.add_row([rec.client, direction, rec.namespace, event, payload],
                     OUT_COLOR if rec.direction == "out" else IN_COLOR, numbered=True)
