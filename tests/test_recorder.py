"""record() / Recorder.wait_for(): what a client saw, and waiting on it without sleeps."""

from __future__ import annotations

import threading
import time

import pytest
from socketio import Client

from server import record
from server.browser import wait_until


def test_wait_for_returns_the_event_as_soon_as_it_arrives(connect):
    alice = connect("alice")
    alice.emit("my_event", {"data": "hi"})
    started = time.perf_counter()
    reply = alice.rec.wait_for("my_response", timeout=10)
    assert time.perf_counter() - started < 5      # returned on arrival, not at the timeout
    assert (reply.event, reply.namespace, reply.data) == ("my_response", "/", {"data": "hi"})
    assert repr(reply) == '<- my_response / [{"data": "hi"}]'


def test_each_wait_consumes_what_it_returns(connect):
    alice = connect("alice")
    for n in range(3):
        alice.emit("my_event", {"n": n})
    first = alice.rec.wait_for("my_response")
    rest = alice.rec.wait_for("my_response", count=2)
    assert [first.data["n"]] + [r.data["n"] for r in rest] == [0, 1, 2]
    with pytest.raises(TimeoutError):
        alice.rec.wait_for("my_response", timeout=0.2)


def test_an_event_that_arrived_before_the_wait_counts(connect):
    alice = connect("alice")
    alice.emit("my_event", {"n": 1})
    # Recorded first (python-engineio's Client handles each packet on a thread of its own, so an
    # ack is no proof that an earlier event was handled), then waited for with no time to spare.
    assert wait_until(lambda: alice.rec.received("my_response"), timeout=5)
    assert alice.rec.wait_for("my_response", timeout=0).data == {"n": 1}


def test_timeout_message_lists_what_did_arrive(connect):
    alice = connect("alice")
    alice.emit("my_event", {"n": 1})
    alice.rec.wait_for("my_response")
    with pytest.raises(TimeoutError) as info:
        alice.rec.wait_for("other_event", timeout=0.2)
    message = str(info.value)
    assert "alice: waited 0.2 s for 1 new 'other_event' event(s), got 0." in message
    assert '<- my_response / [{"n": 1}]' in message
    assert "<- connect /" in message


def test_outgoing_events_and_acks_are_recorded_in_order(connect):
    alice = connect("alice")
    assert alice.call("my_event", {"n": 1}) == "ok"
    alice.rec.wait_for("my_response")
    seen = [(r.direction, r.kind, r.event) for r in alice.rec.events]
    assert seen[0] == ("in", "event", "connect")
    assert ("out", "event", "my_event") in seen
    assert ("in", "ack", "my_event") in seen
    assert [r.order for r in alice.rec.events] == list(range(1, len(seen) + 1))


def test_client_acks_to_the_server_are_recorded(srv, connect):
    alice = connect("alice")
    alice.on("question", lambda data: data * 2)
    assert srv.socketio.call("question", 21, to=alice.get_sid(), timeout=2) == 42
    outgoing = [r for r in alice.rec.events if r.direction == "out" and r.kind == "ack"]
    assert [(r.event, r.args) for r in outgoing] == [("question", (42,))]


def test_the_clients_own_handlers_still_run_before_the_wait_returns(connect):
    alice = connect("alice")
    handled = []
    alice.on("my_response", lambda data: handled.append(data))
    alice.emit("my_event", {"n": 7})
    alice.rec.wait_for("my_response")
    assert handled == [{"n": 7}]


def test_a_client_can_be_recorded_once(connect):
    alice = connect("alice")
    with pytest.raises(RuntimeError, match="already recorded"):
        record(alice, "again")


def test_recording_is_thread_safe(connect):
    alice = connect("alice")

    def burst(k):
        for n in range(50):
            alice.emit("my_event", {"k": k, "n": n})

    threads = [threading.Thread(target=burst, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = alice.rec.wait_for("my_response", count=200, timeout=5)
    assert sorted((r.data["k"], r.data["n"]) for r in got) == [(k, n) for k in range(4) for n in range(50)]


def test_disconnect_over_websocket_is_prompt(connect):
    alice = connect("alice")
    started = time.perf_counter()
    alice.disconnect()
    # websocket-client waits 3 s for a close frame the Engine.IO read thread already consumed;
    # the recorder's transport tap closes without that wait.
    assert time.perf_counter() - started < 2.5     # well under that 3 s wait, with room for a busy machine
    assert alice.rec.wait_for("disconnect").data == "client disconnect"
