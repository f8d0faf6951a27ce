"""The demo app's event handlers, driven by real python-socketio clients (no browser).

Each test serves a fresh app with :func:`server.start_server` and talks to it over
WebSocket. Nothing sleeps: every check waits on the event it needs (``Recorder.wait_for``).
To show that a client did *not* get something, the tests send a later event to the same
client and check what came before it: the server delivers one client's events in order.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import socketio

from server import record
from server.demo import create_app, stop_background_task

# Upper bound for each wait, in seconds: a wait returns as soon as its event is there.
WAIT = 5
DEMO = Path(__file__).resolve().parents[1] / "server" / "demo"


@pytest.fixture
def srv(serve):
    return serve()


@pytest.fixture
def connect(srv):
    """Connect recorded clients (``connect("alice")``) to ``srv``; disconnect them afterwards."""
    clients = []

    def _connect(name, server=srv):
        client = socketio.Client(reconnection=False)
        rec = record(client, name)
        client.connect(server.url, auth=key_of(server), transports=["websocket"], wait_timeout=2)
        clients.append(client)
        hello = rec.wait_for("my_response", timeout=WAIT)
        assert hello.data == {"data": "Connected", "count": 0}
        return rec

    yield _connect
    for client in clients:
        client.disconnect()


def key_of(server):
    """The ``auth`` a client of the demo app must send: ``{"key": <its PAGE_KEY>}``."""
    return {"key": server.app.config["PAGE_KEY"]}


def reply(rec, event="my_response"):
    """The data of the next ``event`` the client receives."""
    return rec.wait_for(event, timeout=WAIT).data


def fence(rec):
    """Send ``rec`` an echo and wait for it: everything sent to it before has arrived."""
    rec.client.emit("my_event", {"data": "fence"})
    assert reply(rec)["data"] == "fence"
    return [r.data["data"] for r in rec.received("my_response")]


def test_connect_replies_connected_with_count_0(connect):
    connect("alice")  # the fixture checks {"data": "Connected", "count": 0}


def test_my_event_echoes_to_the_sender_with_a_per_connection_count(connect):
    alice, bob = connect("alice"), connect("bob")
    alice.client.emit("my_event", {"data": "one"})
    assert reply(alice) == {"data": "one", "count": 1}
    alice.client.emit("my_event", {"data": "two"})
    assert reply(alice) == {"data": "two", "count": 2}
    bob.client.emit("my_event", {"data": "mine"})
    assert reply(bob) == {"data": "mine", "count": 1}, "bob's count is his own"
    assert "one" not in fence(bob), "an echo goes to the sender only"


def test_my_broadcast_event_reaches_every_client_including_the_sender(connect):
    alice, bob = connect("alice"), connect("bob")
    alice.client.emit("my_broadcast_event", {"data": "hi all"})
    assert reply(alice) == {"data": "hi all", "count": 1}
    assert reply(bob) == {"data": "hi all", "count": 1}, "the count is the sender's"


def test_join_and_leave_reply_with_the_rooms_the_client_is_in(connect):
    alice = connect("alice")
    sid = alice.client.get_sid()
    alice.client.emit("join", {"room": "lab"})
    assert reply(alice) == {"data": f"In rooms: {sid}, lab", "count": 1}
    alice.client.emit("leave", {"room": "lab"})
    assert reply(alice) == {"data": f"In rooms: {sid}", "count": 2}


def test_my_room_event_reaches_the_room_members_only(connect):
    alice, bob, carol = connect("alice"), connect("bob"), connect("carol")
    for rec in (alice, carol):
        rec.client.emit("join", {"room": "lab"})
        reply(rec)
    bob.client.emit("my_room_event", {"room": "lab", "data": "knock knock"})
    assert reply(alice)["data"] == "knock knock"
    assert reply(carol)["data"] == "knock knock"
    assert "knock knock" not in fence(bob), "bob sent to the room but is not in it"


def test_close_room_announces_to_the_room_then_empties_it(srv, connect):
    alice, bob = connect("alice"), connect("bob")
    for rec in (alice, bob):
        rec.client.emit("join", {"room": "lab"})
        reply(rec)
    alice.client.emit("close_room", {"room": "lab"})
    assert reply(alice)["data"] == "Room lab is closing."
    assert reply(bob)["data"] == "Room lab is closing."
    assert list(srv.socketio.server.manager.get_participants("/", "lab")) == []
    bob.client.emit("my_room_event", {"room": "lab", "data": "anyone?"})
    assert "anyone?" not in fence(bob)


def test_disconnect_request_waits_for_the_ack_then_disconnects(srv, connect):
    alice = connect("alice")
    alice.client.emit("disconnect_request")
    assert reply(alice) == {"data": "Disconnected!", "count": 1}
    alice.wait_for("disconnect", timeout=WAIT)
    steps = [(r.direction, r.kind, r.event) for r in alice.events]
    ack = steps.index(("out", "ack", "my_response"))  # the client acknowledged...
    assert ack < steps.index(("in", "event", "disconnect"))  # ...before the server hung up
    assert not alice.client.connected


def test_disconnect_is_logged_not_printed(srv, connect, capsys):
    logged = threading.Event()
    srv.add_listener(lambda kind, item: kind == "log" and "disconnected" in item and logged.set())
    alice = connect("alice")
    sid = alice.client.get_sid()
    alice.client.emit("disconnect_request")
    alice.wait_for("disconnect", timeout=WAIT)
    assert logged.wait(2), f"no disconnect line in the server log: {srv.log}"
    assert any(f"client {sid} disconnected: server disconnect" in line for line in srv.log)
    assert capsys.readouterr() == ("", ""), "handlers must log, never print"


def test_my_ping_gets_my_pong(connect):
    alice = connect("alice")
    alice.client.emit("my_ping")
    alice.wait_for("my_pong", timeout=WAIT)


def test_one_background_task_serves_every_client_and_stops(serve, connect):
    srv = serve(BACKGROUND_TASK_PERIOD=0.1)
    task = srv.app.extensions["demo_task"]
    alice = connect("alice", srv)
    first = task.thread
    bob = connect("bob", srv)
    assert task.thread is first, "the second connect must not start a second task"
    ticks = [r.data for r in bob.wait_for("my_response", count=2, timeout=WAIT)]
    assert [t["data"] for t in ticks] == ["Server generated event"] * 2
    assert ticks[1]["count"] == ticks[0]["count"] + 1, "one task, one counter"
    alice.wait_for("my_response", timeout=WAIT)  # alice gets them too

    assert stop_background_task(srv.app), "the task thread is still alive"
    assert not first.is_alive() and task.thread is None
    connect("carol", srv)
    assert task.thread is not None and task.thread is not first, "a new connect restarts it"


def test_index_serves_the_page_and_the_vendored_client(srv):
    client = srv.app.test_client()
    with client.get("/", query_string=key_of(srv)) as page:
        assert page.status_code == 200
        assert b'src="static/socket.io.min.js"' in page.data
    with client.get("/static/socket.io.min.js") as js:
        header = js.data[:200]
    version = re.search(rb"Socket\.IO v(\d+\.\d+\.\d+)", header).group(1).decode()
    assert version.startswith(("3.", "4.")), "only JS client 3.x/4.x speak protocol v5"
    assert f"socket.io-client@{version}" in (DEMO / "VENDORED.md").read_text()
    with client.get("/static/demo.js") as js:
        assert js.status_code == 200


# These two connect over long-polling: over WebSocket, websocket-client sends its own Origin
# header (the server's URL) in addition to the one given in headers=.
def test_pages_from_other_origins_cannot_connect_by_default(srv):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(srv.url, headers={"Origin": "http://evil.example"}, auth=key_of(srv),
                       transports=["polling"], wait_timeout=2)


def test_allowed_origins_are_configurable(serve):
    srv = serve(CORS_ALLOWED_ORIGINS=["http://127.0.0.1:8888"])
    client = socketio.Client(reconnection=False)
    rec = record(client, "proxied page")
    client.connect(srv.url, headers={"Origin": "http://127.0.0.1:8888"}, auth=key_of(srv),
                   transports=["polling"], wait_timeout=2)
    assert reply(rec)["data"] == "Connected"
    client.disconnect()


def test_secret_key_is_random_unless_given():
    assert create_app().secret_key != create_app().secret_key
    assert len(create_app().secret_key) >= 32
    assert create_app({"SECRET_KEY": "k"}).secret_key == "k"


# The shared-host remedy (a classroom JupyterHub: every user's servers share 127.0.0.1).
def test_the_page_needs_its_key_and_says_what_to_do(srv):
    client = srv.app.test_client()
    for query in [{}, {"key": "guess"}, {"key": srv.app.config["PAGE_KEY"][:-1]}]:
        with client.get("/", query_string=query) as page:
            assert page.status_code == 403, query
            assert "needs its key" in page.get_data(as_text=True)
    assert create_app().config["PAGE_KEY"] != create_app().config["PAGE_KEY"]
    assert len(create_app().config["PAGE_KEY"]) >= 20


@pytest.mark.parametrize("auth", [None, {}, {"key": "guess"}, "not-a-dict"])
def test_a_client_without_the_key_is_refused_with_the_reason(srv, auth):
    client = socketio.Client(reconnection=False)
    reasons = []
    client.on("connect_error", reasons.append)  # python-socketio hands the refusal here
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(srv.url, auth=auth, transports=["websocket"], wait_timeout=2)
    assert reasons and "needs its page key" in reasons[0]["message"], reasons
    assert srv.app.extensions["demo_task"].thread is None, "a refused client started the task"


def test_page_key_none_turns_the_checks_off(serve, connect):
    srv = serve(PAGE_KEY=None)
    with srv.app.test_client().get("/") as page:
        assert page.status_code == 200
    connect("alice", srv)
