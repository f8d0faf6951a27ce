"""Taps on a python-socketio client's transports: what really crosses the socket.

Both hooks use configuration that python-engineio exposes for exactly this kind of use:

- ``websocket_extra_options`` is passed to ``websocket.create_connection()``, whose
  ``class_`` option picks the WebSocket class. Ours records each frame, and closes without
  waiting out websocket-client's 3 s close handshake (the Engine.IO read thread consumes the
  server's close frame, so ``client.disconnect()`` would otherwise usually take 3 s).
- ``http_factory`` builds the ``requests.Session`` used for long-polling; ours records each
  request body as it is sent and each GET response body as it arrives.

One more fix, for long-polling: python-engineio's ``Client.disconnect()`` queues its CLOSE
packet and at once marks the connection as disconnecting. If the write loop is still waiting
for the answer to an earlier POST (the moment ``client.call()`` returns: the ack comes back
on the GET, the POST's answer may come later), it then sees the new state and leaves without
sending CLOSE, and the pending GET waits for the server's next ping: ``disconnect()`` takes
up to 25 s. A tapped client first lets its queue drain (at most 1 s), then disconnects.

See https://python-engineio.readthedocs.io/en/latest/api.html (``Client`` options).
"""

from __future__ import annotations

import threading
import types
from typing import Callable

import requests
import websocket

__all__ = ["Frame", "tap_client"]

# (direction, transport, text) - direction is "out" (client to server) or "in".
Tap = Callable[[str, str, "str | bytes"], None]


class Frame(tuple):
    """One unit on the wire: ``(direction, transport, data)``."""

    __slots__ = ()

    def __new__(cls, direction: str, transport: str, data):
        return super().__new__(cls, (direction, transport, data))

    direction = property(lambda self: self[0])
    transport = property(lambda self: self[1])
    data = property(lambda self: self[2])


class _TapState:
    """The taps attached to one client; shared by its WebSocket class and HTTP session."""

    def __init__(self, eio=None):
        self.eio = eio  # the Engine.IO client, whose write loop close() lets finish
        self.taps: list[Tap] = []
        self.lock = threading.Lock()

    def __call__(self, direction: str, transport: str, data) -> None:
        for tap in list(self.taps):
            tap(direction, transport, data)


def _websocket_class(state: _TapState) -> type:
    class KitWebSocket(websocket.WebSocket):
        """websocket-client's WebSocket, recording frames and closing promptly."""

        def send(self, payload, opcode=websocket.ABNF.OPCODE_TEXT):
            if opcode != websocket.ABNF.OPCODE_CLOSE:  # a close frame carries no packet
                state("out", "websocket", payload)
            return super().send(payload, opcode)

        def recv(self):
            data = super().recv()
            if data:  # an empty read means the socket closed
                state("in", "websocket", data)
            return data

        def close(self, status=websocket.STATUS_NORMAL, reason=b"", timeout=3):
            # Let the Engine.IO write loop flush what disconnect() queued (Socket.IO
            # DISCONNECT, Engine.IO CLOSE) first: closing under it makes the server see a
            # "transport close" instead of a "client disconnect". Bounded, and never from the
            # write loop's own thread.
            writer = getattr(state.eio, "write_loop_task", None)
            if writer is not None and writer is not threading.current_thread():
                writer.join(timeout=1.0)
            # The Engine.IO read thread is blocked in recv() on this same socket and will
            # swallow the server's close frame, so waiting for it here only adds 3 s.
            super().close(status, reason, timeout=0)
            # close() does nothing once the server's close arrived first (it checks
            # `connected`), which would leave the socket to the garbage collector.
            self.shutdown()

    return KitWebSocket


def _http_factory(state: _TapState) -> Callable[[], requests.Session]:
    class KitSession(requests.Session):
        """requests' Session, recording each request body as it is sent."""

        def send(self, request, **kwargs):
            # Record the body *before* sending, not in the response hook: the write loop's
            # POST and the read loop's pending GET run on two threads, and the server may
            # answer a POSTed packet through the GET before the POST's own response is
            # back. Recording at response time then shows the reply before the request.
            body = request.body
            if body:
                state("out", "polling", body.decode() if isinstance(body, bytes) else body)
            return super().send(request, **kwargs)

    def on_response(response, *args, **kwargs):
        if response.request.method == "GET" and response.content:
            state("in", "polling", response.text)

    def factory() -> requests.Session:
        session = KitSession()
        session.hooks["response"].append(on_response)
        return session

    return factory


def _disconnect_after_flush(eio, *args, **kwargs):
    """``eio.disconnect()``, once every packet queued before it was sent (at most 1 s)."""
    queue = getattr(eio, "queue", None)
    if queue is not None and eio.state == "connected":
        # queue.Queue counts put() not yet matched by task_done(); the write loop calls
        # task_done() once a packet is sent (for long-polling: once its POST was answered).
        with queue.all_tasks_done:
            queue.all_tasks_done.wait_for(lambda: not queue.unfinished_tasks, timeout=1.0)
    return type(eio).disconnect(eio, *args, **kwargs)


def tap_client(client, tap: Tap | None = None) -> None:
    """Install the transport taps on a python-socketio ``Client`` (idempotent).

    Call it before ``client.connect()``. After it, ``client.disconnect()`` returns in about a
    millisecond over WebSocket instead of 3 s, and never waits for the next ping over
    long-polling (see the module's docstring).

    :param client: a ``socketio.Client`` (or ``SimpleClient.client``).
    :param tap: optional ``callback(direction, transport, data)`` called for each frame
        (WebSocket) or HTTP body (long-polling), from the client's I/O threads.
        ``direction`` is ``"out"`` or ``"in"``; ``transport`` is ``"websocket"`` or
        ``"polling"``; ``data`` is ``str`` or ``bytes``.
    :returns: ``None``.
    :raises RuntimeError: if the client is already connected (the taps apply to new
        connections only).
    """
    eio = client.eio
    state = getattr(eio, "_kit_tap_state", None)
    if state is None:
        if getattr(eio, "state", "disconnected") == "connected":
            raise RuntimeError("tap the client before client.connect(), not after")
        state = _TapState(eio)
        eio._kit_tap_state = state
        eio.websocket_extra_options = dict(eio.websocket_extra_options or {})
        eio.websocket_extra_options["class_"] = _websocket_class(state)
        if eio.http is None and not eio.http_factory:
            eio.http_factory = _http_factory(state)
        eio.disconnect = types.MethodType(_disconnect_after_flush, eio)
    if tap is not None and tap not in state.taps:
        state.taps.append(tap)
