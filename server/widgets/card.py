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
        # Derived from the connect/disconnect events themselves: python-socketio fires them
        # *before* it updates client.connected, so reading that flag would lag one event.
        self._namespaces: dict[str, str | None] = {}
        recorder.add_listener(self._on_event)
        wire.tap_client(recorder.client, lambda *_frame: self.refresh())
        self.refresh()

    def _on_event(self, rec) -> None:
        if rec.direction == "in" and rec.kind == "event":
            with self._lock:
                if rec.event == "connect":
                    self._namespaces[rec.namespace] = self.recorder.client.get_sid(rec.namespace)
                elif rec.event == "disconnect":
                    self._namespaces.pop(rec.namespace, None)
        self.refresh()

    def state(self) -> dict:
        """The card's data: ``connected`` (bool), ``sid`` (str or None), ``transport``
        (``"polling"``, ``"websocket"`` or ``None``), ``namespaces`` (sorted list)."""
        with self._lock:
            namespaces = dict(self._namespaces)
        connected = bool(namespaces)
        transport = getattr(self.recorder.client.eio, "current_transport", None)
        return {
            "connected": connected,
            "sid": namespaces.get("/") if connected else None,
            "transport": transport if connected else None,
            "namespaces": sorted(namespaces),
        }

    def refresh(self) -> None:
        """Re-read the client's state and redraw. Thread-safe."""
        s = self.state()
        with self._lock:
            dot = ("<span style='color:#1a7f37'>● connected</span>" if s["connected"]
                   else "<span style='color:#6e7781'>○ disconnected</span>")
            rows = [("client", self.recorder.name), ("state", dot), ("sid", s["sid"] or "–"),
                    ("transport", s["transport"] or "–"),
                    ("namespaces", ", ".join(s["namespaces"]) or "–")]
            body = "".join(f"<tr><th style='{CELL_STYLE}'>{esc(k)}</th>"
                           f"<td style='{CELL_STYLE}'>{v if k == 'state' else esc(v)}</td></tr>"
                           for k, v in rows)
            self.value = f"<table style='{TABLE_STYLE};width:auto'>{body}</table>"

    def __repr__(self) -> str:
        return f"<ConnectionCard: {self.recorder.name}>"
