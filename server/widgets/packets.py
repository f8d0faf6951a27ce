"""The packet inspector: the Engine.IO and Socket.IO packets of one client's connection."""

from __future__ import annotations

import threading

from .. import wire
from ..packets import WirePacket, decode_frame, payload_text
from ._base import LiveTable

__all__ = ["PacketInspector"]

OUT_COLOR = "#1f6feb"    # client -> server
IN_COLOR = "#1a7f37"     # server -> client
QUIET_COLOR = "#8c959f"  # heartbeats and noops: Engine.IO housekeeping
RAW_LIMIT = 40           # characters of the raw packet shown
PAYLOAD_LIMIT = 48       # characters of the decoded payload shown
# No-break spaces: ten columns share the width, and a wrapped arrow is hard to read.
ARROWS = {"out": "client\u00a0→\u00a0server", "in": "server\u00a0→\u00a0client"}


def _is_heartbeat(p: WirePacket) -> bool:
    # "2probe"/"3probe" are pings too, but they belong to the upgrade, not the heartbeat.
    return p.eio_type in ("ping", "pong") and p.payload != "probe"


class PacketInspector(LiveTable):
    """A live table of every packet crossing the wire for one python-socketio client.

    Each row is one Engine.IO packet (``open``, ``close``, ``ping``, ``pong``, ``message``,
    ``upgrade``, ``noop``) and, for a ``message``, the Socket.IO packet inside it
    (``CONNECT``, ``EVENT``, ``ACK``...) with its namespace, ack id, event and payload. On a
    default connection you see the handshake over long-polling (the ``open`` packet in the
    first GET response), then the upgrade to WebSocket (``2probe``, ``3probe``, ``5``).
    Outgoing rows are blue, incoming green, heartbeats and noops grey. See
    https://python-socketio.readthedocs.io/en/latest/client.html and the protocols at
    https://socket.io/docs/v4/engine-io-protocol/ and https://socket.io/docs/v4/socket-io-protocol/

    :param client: a ``socketio.Client`` (or the :class:`server.recorder.Recorder` of one),
        not yet connected. A ``SimpleClient`` creates its client inside ``connect()``, too
        late to attach to.
    :param title: caption above the table (default ``"Packets on the wire"``).
    :param max_rows: newest rows kept on screen (default 200); :attr:`packets` keeps all.
    :raises RuntimeError: if the client is already connected (attach before ``connect()``).

    :ivar packets: every decoded packet, oldest first (:class:`server.packets.WirePacket`).

    Example::

        client = socketio.Client()
        wire = PacketInspector(client)
        display(wire)
        client.connect(srv.url)
        client.call("my_event", {"data": "hi"})
        print("\\n".join(wire.summary()))
    """

    def __init__(self, client, title: str = "Packets on the wire", max_rows: int = 200):
        super().__init__(["#", "direction", "transport", "Engine.IO", "Socket.IO", "namespace",
                          "ack id", "event", "payload", "raw"],
                         title=title, max_rows=max_rows)
        self.client = getattr(client, "client", client)  # Recorder -> Client
        if getattr(self.client, "connected", False):
            # A recorded client is tapped already, but the rows would start mid-connection.
            raise RuntimeError("create the PacketInspector before client.connect(), not after")
        self.packets: list[WirePacket] = []
        self._lock = threading.Lock()
        wire.tap_client(self.client, self._on_frame)

    def summary(self, include_pings: bool = False, direction: str | None = None) -> list[str]:
        """The packets as sid-free lines, stable enough to print under nbval.

        Each line is ``direction transport packet``, e.g.
        ``"out websocket message/EVENT / my_event id=1"``. To make the output the same on
        every run it leaves out:

        - every payload, and so the sids in the ``open`` packet and the ``CONNECT`` reply;
        - ``noop`` packets, which the server sends to release a pending poll during the
          upgrade: how many, and when, depends on timing;
        - heartbeat ``ping``/``pong`` packets (every 25 s by default), unless
          ``include_pings`` is ``True``; the ``probe`` ping/pong of the upgrade always stays.

        Packets are listed in the order the client saw them; a reply always comes after the
        packet that caused it. Two packets sent independently in opposite directions (a
        background task's emit and the client's own, say) can swap places from one run to
        the next: pass ``direction`` to list one side only.

        :param include_pings: keep the heartbeat pings and pongs (default ``False``).
        :param direction: ``"out"`` or ``"in"`` to list only that direction; ``None``
            (default) for both.
        :returns: a list of strings, oldest first.
        """
        with self._lock:
            packets = list(self.packets)
        return [
            f"{p.direction} {p.transport} {p.summary()}"
            for p in packets
            if p.eio_type != "noop"
            and (include_pings or not _is_heartbeat(p))
            and (direction is None or p.direction == direction)
        ]

    def clear(self) -> None:
        """Forget every packet and empty the table."""
        with self._lock:
            self.packets.clear()
            super().clear()

    # -- internals ------------------------------------------------------------------------
    def _on_frame(self, direction: str, transport: str, data) -> None:
        # Called from the client's I/O threads; the lock keeps rows and packets in one order.
        with self._lock:
            for p in decode_frame(direction, transport, data):
                self.packets.append(p)
                color = (QUIET_COLOR if p.eio_type == "noop" or _is_heartbeat(p)
                         else OUT_COLOR if direction == "out" else IN_COLOR)
                raw = p.raw if len(p.raw) <= RAW_LIMIT else p.raw[: RAW_LIMIT - 1] + "…"
                self.add_row([
                    len(self.packets), ARROWS[direction], transport, p.eio_type,
                    p.sio_type or "–", p.namespace or "–",
                    "–" if p.ack_id is None else p.ack_id, p.event or "–",
                    "–" if p.payload in (None, "") else payload_text(p.payload, PAYLOAD_LIMIT),
                    raw,
                ], color)
