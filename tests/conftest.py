"""Fixtures shared by the tests of the `server` package: apps, running servers, clients."""

from __future__ import annotations

import os
import secrets

import pytest
from flask import Flask
from flask_socketio import SocketIO, emit
from socketio import Client

from server import record, start_server, stop_all
from server.demo import create_app, stop_background_task


@pytest.fixture
def app():
    """A small Flask-SocketIO app: echo, ack, and a handler that raises."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    socketio = SocketIO(app, async_mode="threading")

    @socketio.on("my_event")
    def my_event(message):
        emit("my_response", message)
        return "ok"

    @socketio.on("boom")
    def boom():
        raise ZeroDivisionError("boom on purpose")

    return app


@pytest.fixture
def srv(app):
    """The app running in this process; stopped after the test."""
    handle = start_server(app, key="test")
    yield handle
    handle.stop()


@pytest.fixture
def connect(srv):
    """Make recorded clients connected to ``srv``: ``client = connect("alice")``."""
    clients = []

    def _connect(name="client", **kwargs):
        client = Client(reconnection=False)
        client.rec = record(client, name)
        client.connect(srv.url, transports=kwargs.pop("transports", ["websocket"]), **kwargs)
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        if client.connected:
            client.disconnect()


@pytest.fixture(autouse=True)
def _no_servers_left():
    """Every test starts and ends with no kit server running."""
    yield
    stop_all()


@pytest.fixture
def serve():
    """Start the classic demo app (``serve(**config)``); stop its task and server afterwards."""
    started = []

    def _serve(**config):
        # A long period by default, so server-generated events do not mix with replies.
        app = create_app({"TESTING": True, "BACKGROUND_TASK_PERIOD": 60, **config})
        srv = start_server(app, key=f"demo:{len(started)}")
        started.append(srv)
        return srv

    yield _serve
    for srv in started:
        assert stop_background_task(srv.app), "the background task did not stop"
        srv.stop()
        srv.check()  # errors raised in handler threads fail the test here


@pytest.fixture(scope="module")
def redis_required():
    """The path of ``redis-server``; skips the test without one, or fails it in CI
    (``FSL_REQUIRE_REDIS=1``)."""
    from server.processes import RedisNotFound, find_redis

    try:
        return find_redis()
    except RedisNotFound as exc:
        if os.environ.get("FSL_REQUIRE_REDIS") == "1":
            pytest.fail(f"FSL_REQUIRE_REDIS=1 but {exc}")
        pytest.skip(str(exc))
