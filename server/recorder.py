"""Record what a python-socketio client sends and receives, and wait on it.

Notebooks never ``time.sleep()`` to let an event arrive: they emit, then
``recorder.wait_for("my_response")``, which returns the moment the event is there and fails
with a precise message when it is not.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from socketio import packet as sio_packet

from . import runner, wire

__all__ = ["Received", "Recorder", "record"]


def _short(value, limit: int = 80) -> str:
    try:
        text = json.dumps(value, default=repr, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Received:
    """One event as the client saw it.

    :ivar order: its position among everything this recorder saw (1, 2, 3...).
    :ivar direction: ``"in"`` (server to client) or ``"out"`` (client to server).
    :ivar kind: ``"event"``, or ``"ack"`` for an acknowledgement.
    :ivar event: the event name (for an ack, the name of the event it answers).
    :ivar namespace: the namespace, e.g. ``"/"`` or ``"/chat"``.
    :ivar args: the event's arguments, as a tuple.
    :ivar client: the recorder's name for the client.
    """

    order: int
    direction: str
    kind: str
    event: str
    namespace: str
    args: tuple
    client: str = ""
    at: float = field(default=0.0, compare=False, repr=False)

    @property
    def data(self):
        """The single argument if there is exactly one, else the tuple of arguments."""
        return self.args[0] if len(self.args) == 1 else self.args

    def __repr__(self) -> str:
        arrow = "<-" if self.direction == "in" else "->"
        label = self.event if self.kind == "event" else f"ack({self.event})"
        args = ", ".join(_short(a) for a in self.args)
        return f"{arrow} {label} {self.namespace} [{args}]"


class Recorder:
    """Records every event a python-socketio ``Client`` sends and receives.

    Create it with :func:`record`. Your own handlers still run, unchanged: the recorder
    wraps the client's packet send, event dispatch and ack dispatch methods, and notes each
    event after your handler for it returned.

    :ivar client: the recorded ``socketio.Client``.
    :ivar name: a label for this client in logs and messages.
    :ivar events: everything recorded, in order (:class:`Received`).
    """

    def __init__(self, client, name: str = "client"):
        self.client = client
        self.name = name
        self.events: list[Received] = []
        self._cond = threading.Condition()
        self._consumed: set[int] = set()
        self._listeners: list[Callable[[Received], None]] = []
        self._errors_seen = {id(h): len(h.errors) for h in runner.running_servers()}
        self._install()

    # -- public ---------------------------------------------------------------------------
    def wait_for(self, event: str, count: int = 1, timeout: float = 2.0, namespace: str | None = None):
        """Wait until ``count`` not-yet-waited-for ``event`` events have arrived.

        Each call consumes what it returns, so "emit, then ``wait_for`` the reply" works
        the same every time a cell runs. Events that arrived before the call count, as long
        as an earlier ``wait_for`` did not already return them.

        :param event: the event name to wait for (``"connect"`` and ``"disconnect"`` too).
        :param count: how many such events to wait for (default 1).
        :param timeout: maximum time to wait, in seconds (default 2.0).
        :param namespace: only count events in this namespace; ``None`` (default) for any.
        :returns: the :class:`Received` event if ``count == 1``, else a list of them,
            oldest first.
        :raises TimeoutError: if fewer than ``count`` arrived within ``timeout``. The
            message lists what did arrive, and errors the server's handlers raised meanwhile.
        :raises ValueError: if ``count`` is below 1.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matches = [
                    r for r in self.events
                    if r.direction == "in" and r.kind == "event" and r.event == event
                    and (namespace is None or r.namespace == namespace)
                    and r.order not in self._consumed
                ]
                if len(matches) >= count:
                    got = matches[:count]
                    self._consumed.update(r.order for r in got)
                    self._errors_seen = {id(h): len(h.errors) for h in runner.running_servers()}
                    return got[0] if count == 1 else got
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
        raise TimeoutError(self._timeout_message(event, count, timeout, namespace, len(matches)))

    def received(self, event: str | None = None, namespace: str | None = None) -> list[Received]:
        """Events received from the server so far (acks excluded), oldest first.

        :param event: only this event name; ``None`` for all.
        :param namespace: only this namespace; ``None`` for all.
        :returns: a list of :class:`Received`.
        """
        with self._cond:
            return [
                r for r in self.events
                if r.direction == "in" and r.kind == "event"
                and (event is None or r.event == event)
                and (namespace is None or r.namespace == namespace)
            ]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        with self._cond:
            self.events.clear()
            self._consumed.clear()

    def add_listener(self, callback: Callable[[Received], None]) -> None:
        """Call ``callback(received)`` for each new event, from the thread that saw it."""
        self._listeners.append(callback)

    def __repr__(self) -> str:
        return f"<Recorder {self.name!r}: {len(self.events)} events>"

    # -- internals ------------------------------------------------------------------------
    def _note(self, direction: str, kind: str, event: str, namespace: str, args) -> Received:
        with self._cond:
            rec = Received(
                order=len(self.events) + 1, direction=direction, kind=kind, event=event,
                namespace=namespace or "/", args=tuple(args), client=self.name,
                at=time.perf_counter(),
            )
            self.events.append(rec)
            self._cond.notify_all()
        for cb in list(self._listeners):
            cb(rec)
        return rec

    def _install(self) -> None:
        client = self.client
        if getattr(client, "_kit_recorder", None) is not None:
            raise RuntimeError(
                f"this client is already recorded by {client._kit_recorder!r}: "
                "create a new socketio.Client() for a new recorder"
            )
        client._kit_recorder = self
        wire.tap_client(client)  # prompt disconnect over WebSocket
        pending_acks: dict[tuple[str, int], str] = {}
        send_packet, trigger_event, handle_ack = (
            client._send_packet, client._trigger_event, client._handle_ack,
        )

        def _send_packet(pkt):
            if pkt.packet_type in (sio_packet.EVENT, sio_packet.BINARY_EVENT) and pkt.data:
                if pkt.id is not None:
                    pending_acks[(pkt.namespace or "/", pkt.id)] = pkt.data[0]
                self._note("out", "event", pkt.data[0], pkt.namespace, pkt.data[1:])
            elif pkt.packet_type in (sio_packet.ACK, sio_packet.BINARY_ACK):
                self._note("out", "ack", acked.get(pkt.id, "?"), pkt.namespace, pkt.data or ())
            return send_packet(pkt)

        acked: dict[int, str] = {}

        def _handle_event(namespace, id, data):
            if id is not None:
                acked[id] = data[0]
            return original_handle_event(namespace, id, data)

        def _trigger_event(event, namespace, *args):
            if event.startswith("__"):  # python-socketio's internal bookkeeping events
                return trigger_event(event, namespace, *args)
            try:
                return trigger_event(event, namespace, *args)
            finally:
                self._note("in", "event", event, namespace, args)

        def _handle_ack(namespace, id, data):
            event = pending_acks.pop((namespace or "/", id), "?")
            try:
                return handle_ack(namespace, id, data)
            finally:
                self._note("in", "ack", event, namespace, data or ())

        original_handle_event = client._handle_event
        client._send_packet = _send_packet
        client._handle_event = _handle_event
        client._trigger_event = _trigger_event
        client._handle_ack = _handle_ack

    def _timeout_message(self, event, count, timeout, namespace, have) -> str:
        where = f" in namespace {namespace!r}" if namespace else ""
        lines = [
            f"{self.name}: waited {timeout:g} s for {count} new {event!r} event(s){where}, "
            f"got {have}."
        ]
        with self._cond:
            incoming = [r for r in self.events if r.direction == "in"]
        if incoming:
            lines.append(f"What {self.name} received so far ({len(incoming)}, newest last):")
            lines += [f"  #{r.order} {r!r}" for r in incoming[-10:]]
        else:
            lines.append(f"{self.name} has received nothing yet.")
        if not getattr(self.client, "connected", False):
            lines.append(f"{self.name} is not connected: call client.connect(url) first.")
        for handle in runner.running_servers():
            errors = handle.new_errors_since(self._errors_seen.get(id(handle), 0))
            for err in errors:
                lines.append(f"Meanwhile the server raised {err}.")
        return "\n".join(lines)


def record(client, name: str = "client", log=None) -> Recorder:
    """Start recording a python-socketio ``Client``; call before ``client.connect()``.

    :param client: a ``socketio.Client`` (see
        https://python-socketio.readthedocs.io/en/latest/client.html).
    :param name: a label for this client in logs and error messages, e.g. ``"alice"``.
    :param log: an optional :class:`server.widgets.EventLog` to show the traffic live.
    :returns: a :class:`Recorder`.
    :raises RuntimeError: if the client is already recorded, or already connected.

    Example::

        client = socketio.Client()
        rec = record(client, "alice")
        client.connect(srv.url)
        client.emit("my_event", {"data": "hi"})
        reply = rec.wait_for("my_response")
    """
    rec = Recorder(client, name)
    if log is not None:
        log.watch(rec)
    return rec
