"""server.wire: a tapped client disconnects promptly over either transport."""

from __future__ import annotations

import time

import pytest
from socketio import Client

from server import record, start_server, wire


class SlowPostReplies:
    """WSGI middleware: answer each long-polling POST 0.2 s after it was handled.

    The client's write loop waits for that answer while the ack of the event it carried
    already came back on the GET: the moment a learner's ``call()`` returns, and when
    python-engineio's ``disconnect()`` used to lose its CLOSE packet (the write loop saw the
    state change and left without sending it; the GET then waited for the next ping, 25 s).
    """

    def __init__(self, app):
        self.app, self.posts = app, 0

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        if environ["REQUEST_METHOD"] == "POST":
            self.posts += 1
            time.sleep(0.2)  # the delay under test, not a synchronisation
        return body


@pytest.fixture
def slow_posts(app):
    app.wsgi_app = SlowPostReplies(app.wsgi_app)
    with start_server(app, key="slow-posts") as srv:
        yield srv


def test_a_polling_client_disconnects_at_once_after_a_call(slow_posts):
    for _ in range(3):
        client = Client(reconnection=False)
        rec = record(client, "poller")  # record() taps the client
        client.connect(slow_posts.url, transports=["polling"])
        assert client.call("my_event", {"n": 1}, timeout=5) == "ok"
        began = time.perf_counter()
        client.disconnect()
        assert time.perf_counter() - began < 10, "disconnect() waited for the next ping (25 s)"
        rec.wait_for("disconnect", timeout=2)
        assert not client.connected
    assert slow_posts.app.wsgi_app.posts >= 6


def test_tapping_twice_is_harmless_and_tapping_a_connected_client_is_refused(srv):
    tapped, late = Client(reconnection=False), Client(reconnection=False)
    wire.tap_client(tapped)
    wire.tap_client(tapped)
    tapped.connect(srv.url, transports=["websocket"])
    late.connect(srv.url, transports=["websocket"])
    try:
        with pytest.raises(RuntimeError, match="before client.connect"):
            wire.tap_client(late)
    finally:
        tapped.disconnect()
        srv.stop()  # disconnects the untapped one from the server side: no 3 s close wait
    assert not tapped.connected and not late.connected
