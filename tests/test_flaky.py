"""server.flaky: connections cut with no goodbye come back; a restart keeps the port."""

from __future__ import annotations

import gc
import secrets
import warnings

import pytest
from flask import Flask, request
from flask_socketio import SocketIO, emit
from socketio import Client

from server import ServerError, record, start_server
from server.flaky import cut_connections, restart_server

# python-engineio's Client never closes the WebSocket of a connection the server closed
# (Client._read_loop_websocket leaves it to the garbage collector): the ResourceWarning that
# follows is the library's, not a leak of the kit's.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture
def reconnecting():
    """A python-socketio client that reconnects fast (0.05 s, no jitter); disconnected after."""
    clients = []

    def make(name):
        client = Client(reconnection_delay=0.05, reconnection_delay_max=0.05,
                        randomization_factor=0)
        client.rec = record(client, name)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.reconnection = False
        if client.connected:
            client.disconnect()
    # The WebSockets python-engineio left open (see above) are collected here, not at the end
    # of the session, where their ResourceWarning would fail the whole run.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def flaky_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    socketio = SocketIO(app, async_mode="threading")
    app.reasons = []

    @socketio.on("connect")
    def on_connect(auth):
        emit("welcome", request.sid)

    @socketio.on("disconnect")
    def on_disconnect(reason):
        app.reasons.append(reason)

    return app


def test_cut_connections_makes_the_client_reconnect_with_a_new_sid(flaky_app, reconnecting):
    srv = start_server(flaky_app, key="test-flaky-cut")
    try:
        client = reconnecting("alice")
        client.connect(srv.url, transports=["websocket"])
        first = client.rec.wait_for("welcome").data
        assert cut_connections(srv) == 1
        second = client.rec.wait_for("welcome", timeout=5).data
        assert second != first
        assert flaky_app.reasons == ["server disconnect"]
        reasons = [r.data for r in client.rec.received("disconnect")]
        assert reasons == ["transport error"]
    finally:
        srv.stop()


def test_restart_server_serves_again_on_the_same_port(flaky_app, reconnecting):
    srv = start_server(flaky_app, key="test-flaky-restart")
    again = None
    try:
        client = reconnecting("bob")
        client.connect(srv.url, transports=["websocket"])
        client.rec.wait_for("welcome")
        again = restart_server(srv)
        assert not srv.running and again.running
        assert (again.host, again.port, again.key) == (srv.host, srv.port, srv.key)
        client.rec.wait_for("welcome", timeout=5)
        client.rec.wait_for("connect", count=2, timeout=5)  # welcome comes before connect
        assert len(flaky_app.reasons) == 1
    finally:
        (again or srv).stop()


def test_a_server_that_is_not_running_is_refused(flaky_app):
    srv = start_server(flaky_app, key="test-flaky-stopped")
    srv.stop()
    with pytest.raises(ServerError, match="not running"):
        cut_connections(srv)
    with pytest.raises(ServerError, match="not running"):
        restart_server(srv)


def test_no_connections_is_zero(flaky_app):
    with start_server(flaky_app, key="test-flaky-empty") as srv:
        assert cut_connections(srv) == 0


def test_a_check_restarts_its_server_and_stops_both(flaky_app, reconnecting):
    from server.checks import task

    with task(99, "restart") as t:
        first = t.start(flaky_app)
        client = reconnecting("carol")
        client.connect(first.url, transports=["websocket"])
        client.rec.wait_for("welcome")
        again = t.restart()
        assert again.port == first.port and not first.running
        client.rec.wait_for("welcome", timeout=5)
    assert not again.running
