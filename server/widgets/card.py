"""The connection card: is this client connected, with which sid, over which transport."""

from __future__ import annotations

import threading

import ipywidgets as widgets

from .. import wire
from ._base import CELL_STYLE, TABLE_STYLE, esc

__all__ = ["ConnectionCard"]


class ConnectionCard(widgets.HTML):
    """A small live card for one recorded client: connected?, sid, transport, namespaces.

    It refreshes itself on every event and frame the client sends or receives, so the
    transport upgrade from ``polling`` to ``websocket`` shows up as it happens.

    :param recorder: the :class:`server.recorder.Recorder` of the client to show.
    """

    def __init__(self, recorder):
        super().__init__()
        self.recorder = recorder
        self._lock = threading.Lock()
        recorder.add_listener(lambda _rec: self.refresh())
        wire.tap_client(recorder.client, lambda *_frame: self.refresh())
        self.refresh()

    def state(self) -> dict:
        """The card's data: ``connected`` (bool), ``sid`` (str or None), ``transport``
        (``"polling"``, ``"websocket"`` or ``None``), ``namespaces`` (sorted list)."""
        client = self.recorder.client
        connected = bool(client.connected)
        return {
            "connected": connected,
            "sid": client.get_sid("/") if connected else None,
            "transport": (client.transport() or None) if connected else None,
            "namespaces": sorted(client.namespaces) if connected else [],
        }

    def refresh(self) -> None:
        """Re-read the client's state and redraw. Thread-safe."""
        with self._lock:
            s = self.state()
            dot = "🟢 connected" if s["connected"] else "⚪ disconnected"
            rows = [("client", self.recorder.name), ("state", dot), ("sid", s["sid"] or "–"),
                    ("transport", s["transport"] or "–"),
                    ("namespaces", ", ".join(s["namespaces"]) or "–")]
            body = "".join(f"<tr><th style='{CELL_STYLE}'>{esc(k)}</th>"
                           f"<td style='{CELL_STYLE}'>{esc(v)}</td></tr>" for k, v in rows)
            self.value = f"<table style='{TABLE_STYLE};width:auto'>{body}</table>"

    def __repr__(self) -> str:
        return f"<ConnectionCard: {self.recorder.name}>"
