"""The live widgets, fed by real servers and real clients: rows appear, nothing is lost."""

from __future__ import annotations

import threading
import time

import pytest
from flask_socketio import close_room, emit, join_room, leave_room
from socketio import Client, SimpleClient

from server import record
from server.recorder import Received
from server.widgets import ConnectionCard, EventLog, LiveChart, PacketInspector, RoomsView
from server.widgets._base import CELL_STYLE

UPGRADE = [  # a default connection: handshake over long-polling, then the upgrade
    "in polling open",
    "out websocket ping probe",
    "in websocket pong probe",
    "out websocket upgrade",
    "out websocket message/CONNECT /",
    "in websocket message/CONNECT /",
]


def wait_until(widget, predicate, timeout: float = 2.0) -> None:
    """Wait until ``predicate()`` holds, re-checking each time ``widget.value`` changes."""
    changed = threading.Event()

    def on_change(_change):
        changed.set()

    widget.observe(on_change, "value")
    try:
        deadline = time.monotonic() + timeout
        while True:
            changed.clear()  # cleared before the check: a change after it is not lost
            if predicate():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not changed.wait(remaining):
                raise AssertionError(f"{widget!r}: condition still false after {timeout} s")
    finally:
        widget.unobserve(on_change, "value")


def feed_from_threads(target, threads: int = 4, each: int = 300) -> None:
    """Call ``target(thread_no, i)`` ``each`` times from each of ``threads`` threads at once."""
    start = threading.Barrier(threads)

    def run(n):
        start.wait()
        for i in range(each):
            target(n, i)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


@pytest.fixture
def rooms_app(app):
    """The conftest app, plus events to join, leave and close rooms (each acks when done)."""
    socketio = app.extensions["socketio"]

    @socketio.on("join")
    def on_join(room):
        join_room(room)
        return "joined"

    @socketio.on("leave")
    def on_leave(room):
        leave_room(room)
        return "left"

    @socketio.on("close")
    def on_close(room):
        close_room(room)
        return "closed"

    @socketio.on("join", namespace="/chat")
    def on_join_chat(room):
        join_room(room)
        return "joined"

    @socketio.on("cpu")
    def on_cpu(samples):
        for n, cores in enumerate(samples):
            emit("cpu", {"t": n, "cores": cores})

    return app


# -- EventLog -----------------------------------------------------------------------------
def test_event_log_shows_both_directions_and_the_ack(srv, connect):
    log = EventLog()
    assert "nothing yet" in log.value
    alice = connect("alice")
    log.watch(alice.rec)
    assert alice.call("my_event", {"data": "hi"}) == "ok"
    alice.rec.wait_for("my_response")
    wait_until(log, lambda: "ack(my_event)" in log.value)
    assert log.row_count == 3
    for text in ("client → server", "server → client", "my_event", "my_response",
                 "{&quot;data&quot;:&quot;hi&quot;}"):
        assert text in log.value
    assert repr(log) == "<EventLog: Socket.IO events>"


def test_event_log_loses_no_row_when_fed_from_many_threads():
    log = EventLog(max_rows=2000)

    def add(n, i):
        log._on_event(Received(i, "in", "event", "tick", "/", (n, i), client=f"t{n}"))

    feed_from_threads(add)
    assert log.row_count == 1200
    assert log.value.count("<tr>") == 1 + 1200  # the heading, then every row
    for n in range(4):
        assert log.value.count(f"<td style='{CELL_STYLE};color:#1a7f37'>t{n}</td>") == 300


def test_event_log_keeps_the_newest_rows_only():
    log = EventLog(max_rows=5)
    for i in range(12):
        log._on_event(Received(i, "out", "event", "my_event", "/", (i,), client="a"))
    assert log.row_count == 12
    assert log.value.count("<tr>") == 1 + 5
    assert "7 older rows not shown" in log.value


# -- ConnectionCard -----------------------------------------------------------------------
def test_connection_card_state_after_the_upgrade_and_the_disconnect(srv):
    client = Client(reconnection=False)
    card = ConnectionCard(record(client, "alice"))
    assert card.state() == {"connected": False, "sid": None, "transport": None, "namespaces": []}
    client.connect(srv.url)  # polling first, then the upgrade to WebSocket
    sid = client.get_sid("/")
    assert card.state() == {"connected": True, "sid": sid, "transport": "websocket",
                            "namespaces": ["/"]}
    card.refresh()
    assert "● connected" in card.value and sid in card.value and "websocket" in card.value
    srv.socketio.server.disconnect(sid)
    client.eio.wait()  # the Engine.IO read loop ends (client.wait() would add a 1 s sleep)
    assert card.state()["connected"] is False
    card.refresh()
    assert "○ disconnected" in card.value and sid not in card.value
    assert repr(card) == "<ConnectionCard: alice>"


def test_connection_card_redraws_itself_after_connect_and_disconnect(srv):
    client = Client(reconnection=False)
    card = ConnectionCard(record(client, "alice"))
    client.connect(srv.url, transports=["websocket"])
    assert "● connected" in card.value
    srv.socketio.server.disconnect(client.get_sid("/"))
    client.eio.wait()
    assert "○ disconnected" in card.value


# -- RoomsView ----------------------------------------------------------------------------
def test_rooms_view_follows_join_leave_close_and_disconnect(rooms_app, srv, connect):
    rooms = RoomsView(srv.socketio)
    assert rooms.snapshot() == {} and "no client connected" in rooms.value
    alice, bob = connect("alice"), connect("bob")
    rooms.label(alice.rec).label(bob.rec)
    assert rooms.snapshot() == {"/": {}}

    # join_room() runs before the handler returns its ack, and the view redraws inside it.
    assert alice.call("join", "lobby") == "joined" and bob.call("join", "lobby") == "joined"
    assert bob.call("join", "kitchen") == "joined"
    assert rooms.snapshot() == {"/": {"kitchen": ["bob"], "lobby": ["alice", "bob"]}}
    assert "lobby" in rooms.value and "alice, bob" in rooms.value

    assert bob.call("leave", "lobby") == "left"
    assert rooms.snapshot() == {"/": {"kitchen": ["bob"], "lobby": ["alice"]}}
    assert alice.call("close", "kitchen") == "closed"
    assert rooms.snapshot() == {"/": {"lobby": ["alice"]}}

    alice.disconnect()  # the server notices on its own thread
    wait_until(rooms, lambda: rooms.snapshot() == {"/": {}})
    assert alice.get_sid("/") is None and "alice" not in rooms.value


def test_rooms_view_names_sids_and_can_show_personal_rooms(rooms_app, srv, connect):
    alice, carol = connect("alice"), connect("carol")
    rooms = RoomsView(srv.socketio, title="who is where")
    assert alice.call("join", "lobby") == "joined" and carol.call("join", "lobby") == "joined"
    carol_sid = carol.get_sid("/")
    assert rooms.snapshot() == {"/": {"lobby": ["(unnamed)", "(unnamed)"]}}
    assert carol_sid in rooms.value  # unnamed clients show their sid

    rooms.label(alice.rec).label(carol_sid, "carol")
    assert rooms.snapshot() == {"/": {"lobby": ["alice", "carol"]}}
    assert "own room" not in rooms.value
    rooms.show_personal = True
    assert "alice's own room" in rooms.value
    assert f"{carol_sid} (carol's own room)" in rooms.value
    assert rooms.snapshot() == {"/": {"lobby": ["alice", "carol"]}}  # never any sid
    assert repr(rooms) == "<RoomsView: who is where>"


def test_rooms_view_labels_a_client_that_connects_later(rooms_app, srv):
    rooms = RoomsView(srv.socketio)
    client = Client(reconnection=False)
    rooms.label(record(client, "dave"))
    client.connect(srv.url, transports=["websocket"])
    # The server drew the room before dave knew his sid; his connect event redraws it.
    wait_until(rooms, lambda: "dave" in rooms.value)
    assert client.call("join", "lobby") == "joined"
    assert rooms.snapshot() == {"/": {"lobby": ["dave"]}}
    client.disconnect()

    erin = SimpleClient()  # it creates its socketio.Client only in connect()
    rooms.label(erin, "erin")
    erin.connect(srv.url, transports=["websocket"])
    assert erin.call("join", "lobby") == "joined"
    assert rooms.snapshot() == {"/": {"lobby": ["erin"]}}  # srv.stop() disconnects erin
    with pytest.raises(ValueError, match="needs a name"):
        rooms.label(erin.sid)


def test_rooms_view_of_one_namespace(rooms_app, srv, connect):
    alice = connect("alice", namespaces=["/", "/chat"])
    rooms = RoomsView(srv.socketio, namespace="/chat").label(alice.rec)
    assert alice.call("join", "lobby") == "joined"
    assert alice.call("join", "general", namespace="/chat") == "joined"
    assert rooms.snapshot() == {"/chat": {"general": ["alice"]}}
    assert RoomsView(srv.socketio).label(alice.rec).snapshot() == {
        "/": {"lobby": ["alice"]}, "/chat": {"general": ["alice"]}}


def test_rooms_view_keeps_up_with_many_clients_joining_at_once(rooms_app, srv, connect):
    rooms = RoomsView(srv.socketio)
    clients = [connect(f"c{n}") for n in range(8)]
    for c in clients:
        rooms.label(c.rec)
    feed_from_threads(lambda n, i: clients[n].call("join", f"room{i}"), threads=8, each=5)
    expected = {f"room{i}": sorted(f"c{n}" for n in range(8)) for i in range(5)}
    assert rooms.snapshot() == {"/": expected}
    for i in range(5):
        cells = f"room{i}</td><td style='{CELL_STYLE}'>c0, c1, c2, c3, c4, c5, c6, c7"
        assert cells in rooms.value


def test_rooms_view_needs_a_server():
    from flask_socketio import SocketIO

    with pytest.raises(TypeError, match="no python-socketio server"):
        RoomsView(SocketIO())


# -- LiveChart ----------------------------------------------------------------------------
def test_live_chart_updates_in_place_within_its_window():
    chart = LiveChart(["cpu0"], title="CPU", y_label="%", y_range=(0, 100), window=60)
    figure, line = chart.figure, chart.lines["cpu0"]
    assert chart.children == (figure,)
    for t in range(100):
        chart.append(t, {"cpu0": t % 100, "cpu1": 50.0})
    assert chart.figure is figure and chart.lines["cpu0"] is line
    assert chart.children == (figure,) and len(figure.marks) == 2  # cpu1 added once
    assert chart.series == ["cpu0", "cpu1"]
    points = chart.points["cpu0"]
    assert len(points) == 60 and points[0] == (40.0, 40.0) and points[-1] == (99.0, 99.0)
    assert list(line.x) == list(range(40, 100)) and len(chart.lines["cpu1"].y) == 60
    assert (chart._y_scale.min, chart._y_scale.max) == (0.0, 100.0)
    assert repr(chart) == "<LiveChart: CPU>"
    assert chart._repr_mimebundle_()["text/plain"] == "<LiveChart: CPU>"
    chart.clear()
    assert chart.points == {"cpu0": [], "cpu1": []} and len(line.x) == 0


def test_live_chart_loses_no_point_when_fed_from_many_threads():
    chart = LiveChart(window=300)
    feed_from_threads(lambda n, i: chart.append(i, {f"core{n}": float(i), "shared": 1.0}))
    points = chart.points
    for n in range(4):
        assert [x for x, _ in points[f"core{n}"]] == list(range(300))
        assert len(chart.lines[f"core{n}"].x) == 300 == len(chart.lines[f"core{n}"].y)
    assert len(points["shared"]) == 300  # 1200 appends, the newest 300 kept
    assert len(chart.figure.marks) == 5


def test_live_chart_fed_by_a_client_handler(rooms_app, srv):
    chart = LiveChart(y_range=(0, 100))
    client = Client(reconnection=False)
    rec = record(client, "monitor")
    client.on("cpu", lambda data: chart.append(data["t"], data["cores"]))
    client.connect(srv.url, transports=["websocket"])
    client.emit("cpu", [{"cpu0": 10 * n, "cpu1": 5 * n} for n in range(8)])
    rec.wait_for("cpu", count=8)  # noted after each handler returned (in its own thread)
    assert chart.points["cpu1"][-1] == (7.0, 35.0) and len(chart.points["cpu0"]) == 8
    client.disconnect()


def test_live_chart_keeps_points_in_x_order_when_they_arrive_late():
    # A threaded python-socketio client handles each event in its own thread: the handler
    # for an earlier event can run after the one for a later event.
    chart = LiveChart(window=3)
    for x in (1, 4, 2, 5, 3):
        chart.append(x, {"a": 10 * x})
    assert chart.points["a"] == [(3.0, 30.0), (4.0, 40.0), (5.0, 50.0)]
    assert list(chart.lines["a"].x) == [3.0, 4.0, 5.0]


def test_live_chart_rejects_a_window_too_small():
    with pytest.raises(ValueError, match="window"):
        LiveChart(window=1)


# -- PacketInspector ----------------------------------------------------------------------
def inspected_client(srv, transports=None):
    client = Client(reconnection=False)
    client.rec = record(client, "alice")
    inspector = PacketInspector(client)
    client.connect(srv.url, transports=transports)
    return client, inspector


def test_packet_inspector_shows_the_handshake_upgrade_event_and_ack(srv):
    client, wire = inspected_client(srv)
    assert client.call("my_event", {"data": "hi"}) == "ok"
    assert wire.summary() == UPGRADE + [
        "out websocket message/EVENT / my_event id=1",
        "in websocket message/EVENT / my_response",
        "in websocket message/ACK / id=1",
    ]
    sid = client.get_sid("/")
    assert not any(sid in line or client.eio.sid in line for line in wire.summary())
    opened, connected = wire.packets[0], [p for p in wire.packets if p.sio_type == "CONNECT"][-1]
    assert (opened.eio_type, opened.payload["sid"]) == ("open", client.eio.sid)
    assert connected.payload == {"sid": sid}
    event = next(p for p in wire.packets if p.event == "my_event")
    assert (event.ack_id, event.payload) == (1, [{"data": "hi"}])
    assert event.raw == '421["my_event",{"data":"hi"}]'
    for text in ("open", "upgrade", "2probe", "3probe", "EVENT", "ACK", "my_response"):
        assert f">{text}<" in wire.value
    assert repr(wire) == "<PacketInspector: Packets on the wire>"
    client.disconnect()


def test_packet_inspector_over_long_polling_keeps_request_before_reply(srv):
    for _ in range(10):  # the reply comes back on the read thread's GET, the request went by POST
        client, wire = inspected_client(srv, transports=["polling"])
        assert client.call("my_event", {"n": 1}) == "ok"
        assert wire.summary() == [
            "in polling open",
            "out polling message/CONNECT /",
            "in polling message/CONNECT /",
            "out polling message/EVENT / my_event id=1",
            "in polling message/EVENT / my_response",
            "in polling message/ACK / id=1",
        ]
        srv.socketio.server.disconnect(client.get_sid("/"))  # quicker than client.disconnect()
        client.eio.wait()


def test_packet_inspector_summary_leaves_out_noops_and_heartbeats(app):
    from server import start_server

    app.extensions["socketio"].server.eio.ping_interval = 0.05  # a heartbeat every 50 ms
    with start_server(app, key="test-pings") as srv:
        client, wire = inspected_client(srv)
        wait_until(wire, lambda: any(p.summary() == "pong" for p in wire.packets))
        assert any(p.eio_type == "noop" for p in wire.packets)
        assert wire.summary() == UPGRADE
        with_pings = wire.summary(include_pings=True)
        assert "in websocket ping" in with_pings and "out websocket pong" in with_pings
        assert wire.summary(direction="out") == [s for s in UPGRADE if s.startswith("out")]
        client.disconnect()


def test_packet_inspector_refuses_a_connected_client(srv, connect):
    alice = connect("alice")
    with pytest.raises(RuntimeError, match="before client.connect"):
        PacketInspector(alice)
