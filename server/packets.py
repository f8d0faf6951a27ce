"""Decode what crosses the wire into Engine.IO and Socket.IO packets.

Engine.IO (protocol v4) frames the connection: each packet is one type digit and its data;
long-polling joins several packets into one HTTP body with the ``\\x1e`` record separator,
WebSocket sends one packet per frame. A ``message`` packet (type 4) carries a Socket.IO
packet (protocol v5): one type digit, an optional ``/namespace,``, an optional ack id, then
JSON. See https://socket.io/docs/v4/engine-io-protocol/ and
https://socket.io/docs/v4/socket-io-protocol/. Decoding uses the libraries' own parsers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from engineio import packet as eio_packet
from socketio import packet as sio_packet

__all__ = ["WirePacket", "decode_frame", "EIO_TYPES", "SIO_TYPES"]

EIO_TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"]
SIO_TYPES = ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"]


@dataclass(frozen=True)
class WirePacket:
    """One decoded packet.

    :ivar direction: ``"out"`` (client to server) or ``"in"``.
    :ivar transport: ``"polling"`` or ``"websocket"``.
    :ivar raw: the packet as sent, e.g. ``'42["my_event",{"data":"hi"}]'``.
    :ivar eio_type: Engine.IO type name (``"open"``, ``"ping"``, ``"message"``...).
    :ivar sio_type: Socket.IO type name for a ``message`` (``"EVENT"``, ``"ACK"``...), else ``""``.
    :ivar namespace: Socket.IO namespace, or ``""``.
    :ivar ack_id: the ack id, or ``None``.
    :ivar event: the event name of an ``EVENT``, else ``""``.
    :ivar payload: the decoded data (the event's arguments, the ack's values, the open
        packet's handshake dict...), or ``None``.
    """

    direction: str
    transport: str
    raw: str
    eio_type: str
    sio_type: str = ""
    namespace: str = ""
    ack_id: int | None = None
    event: str = ""
    payload: object = None

    def summary(self) -> str:
        """A one-line, sid-free description, e.g. ``'message/EVENT / my_event'``."""
        if self.eio_type != "message":
            extra = f" {self.payload}" if self.eio_type in ("ping", "pong") and self.payload else ""
            return f"{self.eio_type}{extra}"
        parts = [f"message/{self.sio_type}", self.namespace or "/"]
        if self.event:
            parts.append(self.event)
        if self.ack_id is not None:
            parts.append(f"id={self.ack_id}")
        return " ".join(parts)


def _decode_one(direction: str, transport: str, text) -> WirePacket:
    if isinstance(text, bytes):
        return WirePacket(direction, transport, f"<{len(text)} binary bytes>", "message",
                          "attachment")
    try:
        pkt = eio_packet.Packet(encoded_packet=text)
    except Exception:
        return WirePacket(direction, transport, text, "unknown")
    eio_type = EIO_TYPES[pkt.packet_type] if pkt.packet_type < len(EIO_TYPES) else "unknown"
    if pkt.packet_type != eio_packet.MESSAGE or not isinstance(pkt.data, str):
        return WirePacket(direction, transport, text, eio_type, payload=pkt.data)
    try:
        sp = sio_packet.Packet(encoded_packet=pkt.data)
    except Exception:
        return WirePacket(direction, transport, text, eio_type, payload=pkt.data)
    sio_type = SIO_TYPES[sp.packet_type] if sp.packet_type < len(SIO_TYPES) else "unknown"
    event, payload = "", sp.data
    if sp.packet_type in (sio_packet.EVENT, sio_packet.BINARY_EVENT) and isinstance(sp.data, list):
        event, payload = sp.data[0], sp.data[1:]
    return WirePacket(direction, transport, text, eio_type, sio_type, sp.namespace or "/",
                      sp.id, event, payload)


def decode_frame(direction: str, transport: str, data) -> list[WirePacket]:
    """Split one WebSocket frame or HTTP body into packets and decode each.

    :param direction: ``"out"`` or ``"in"``.
    :param transport: ``"websocket"`` or ``"polling"``.
    :param data: the frame or body, ``str`` or ``bytes``.
    :returns: the packets in order (a polling body may hold several; ``"OK"``, the
        server's answer to a POST, holds none).
    """
    if transport == "polling" and isinstance(data, str):
        if data.lower() == "ok":
            return []
        return [_decode_one(direction, transport, part) for part in data.split("\x1e") if part]
    return [_decode_one(direction, transport, data)]


def payload_text(value, limit: int = 120) -> str:
    """``value`` as compact JSON, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, default=repr, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
