"""server.checks: verdicts over a real connection, and how long a check waits."""

from __future__ import annotations

import time

import pytest

from server.checks import CheckFailed, default_timeout, last_lines, task


def test_a_check_passes_when_the_event_arrives(app, capsys):
    with task(1, "my_event is echoed") as t:
        t.start(app)
        alice = t.client("alice")
        alice.emit("my_event", {"n": 1})
        reply = t.expect(alice, "my_response", tried="alice emitted my_event")
        t.equal(reply.data, {"n": 1}, "the my_response payload")
    assert capsys.readouterr().out.strip() == "✅ Task 1 passed: my_event is echoed."


def test_a_missing_event_fails_after_the_timeout_with_what_was_tried(app):
    began = time.monotonic()
    with pytest.raises(CheckFailed) as failed:
        with task(2, "never") as t:
            t.start(app)
            alice = t.client("alice")
            t.expect(alice, "nothing_sends_this", tried="alice waited", hint=3, timeout=0.2)
    assert time.monotonic() - began >= 0.2
    message = str(failed.value)
    assert message.startswith("❌ Task 2 is not done yet: alice did not receive 'nothing_sends_this'.")
    assert "Tried:    alice waited" in message
    assert "Got:      nothing within 0.2 s" in message
    assert "Hint:     open hint 3 of task 2 above." in message


def test_a_handler_that_raises_fails_the_check_at_once(app):
    began = time.monotonic()
    with pytest.raises(CheckFailed) as failed:
        with task(3, "boom") as t:
            t.start(app)
            alice = t.client("alice")
            alice.emit("boom")
            t.expect(alice, "never", timeout=10)
    assert time.monotonic() - began < 5
    assert "ZeroDivisionError" in str(failed.value)


def test_the_default_timeout_is_one_second_and_the_environment_changes_it(monkeypatch):
    monkeypatch.delenv("FSL_CHECK_TIMEOUT", raising=False)
    assert default_timeout() == 1.0
    monkeypatch.setenv("FSL_CHECK_TIMEOUT", "2.5")
    assert default_timeout() == 2.5


@pytest.mark.parametrize("text", ["soon", "0", "-1"])
def test_a_bad_timeout_setting_says_what_to_do(monkeypatch, text):
    monkeypatch.setenv("FSL_CHECK_TIMEOUT", text)
    with pytest.raises(ValueError, match="is not a positive number of seconds: set it to e.g. 3"):
        default_timeout()


def test_expect_uses_the_configured_timeout(app, monkeypatch):
    monkeypatch.setenv("FSL_CHECK_TIMEOUT", "0.1")
    with pytest.raises(CheckFailed, match="nothing within 0.1 s"):
        with task(4, "short") as t:
            t.start(app)
            t.expect(t.client("alice"), "never")


def test_call_returns_the_ack(app):
    with task(5, "ack") as t:
        t.start(app)
        assert t.call(t.client("alice"), "my_event", {"n": 2}) == "ok"


def test_call_fails_at_once_when_the_handler_raised(app):
    began = time.monotonic()
    with pytest.raises(CheckFailed) as failed:
        with task(6, "boom") as t:
            t.start(app)
            t.call(t.client("alice"), "boom", tried="alice called boom", hint=1, timeout=10)
    assert time.monotonic() - began < 5
    message = str(failed.value)
    assert message.startswith("❌ Task 6 is not done yet: alice got no acknowledgement for 'boom'.")
    assert "Tried:    alice called boom" in message
    assert "ZeroDivisionError" in message


def test_call_without_a_handler_fails_after_the_timeout(app):
    with pytest.raises(CheckFailed, match="no ack within 0.2 s"):
        with task(7, "nobody") as t:
            t.start(app)
            t.call(t.client("alice"), "nobody_handles_this", timeout=0.2)


# -- Cluster: needs a redis-server (skipped without one, unless FSL_REQUIRE_REDIS=1) --------
NEWS_SERVER = '''\
import os
from flask import Flask
from flask_socketio import SocketIO
from werkzeug.serving import make_server

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
socketio = SocketIO(app, async_mode="threading", message_queue=os.environ["MESSAGE_QUEUE"])
httpd = make_server("127.0.0.1", 0, app, threaded=True)
print(f"ready on http://127.0.0.1:{httpd.server_port}", flush=True)
httpd.serve_forever()
'''
NEWS_WORKER = '''\
import os
from flask_socketio import SocketIO
SocketIO(message_queue=os.environ["MESSAGE_QUEUE"]).emit("news", "from the worker")
print("sent")
'''


@pytest.fixture
def private_state(tmp_path, monkeypatch):
    monkeypatch.setenv("FSL_STATE_DIR", str(tmp_path / "state"))


def test_a_cluster_runs_servers_and_a_worker_then_stops_them_all(redis_required, private_state,
                                                                  capsys):
    with task(1, "cluster") as t:
        cluster = t.cluster("test-cluster")
        cluster.server("A", NEWS_SERVER)
        cluster.server("B", NEWS_SERVER)
        alice, bob = cluster.client("alice", "A"), cluster.client("bob", "B")
        cluster.expect_listeners(2)
        code, output = cluster.run_worker(NEWS_WORKER)
        assert (code, output.strip()) == (0, "sent")
        assert t.expect(alice, "news").data == t.expect(bob, "news").data == "from the worker"
        processes = [*cluster._processes, cluster.redis]
        folder = cluster._folder
    assert capsys.readouterr().out.strip() == "✅ Task 1 passed: cluster."
    assert not any(p.running for p in processes)
    assert not folder.exists()
    assert not alice.connected and not bob.connected


def test_a_server_script_that_fails_shows_its_last_lines(redis_required, private_state):
    with pytest.raises(CheckFailed) as failed:
        with task(2, "broken") as t:
            t.cluster("test-cluster").server("A", "raise NotImplementedError()\n", hint=1)
    message = str(failed.value)
    assert message.startswith("❌ Task 2 is not done yet: server A did not start.")
    assert "NotImplementedError (replace `raise NotImplementedError()` in the script" in message
    assert "Hint:     open hint 1 of task 2 above." in message


def test_last_lines():
    assert last_lines("a\nb\nc\nd\ne\n", n=2) == "d | e"
    assert last_lines("") == "nothing"


def test_last_lines_keep_the_exception_line_of_a_crash_that_printed_more():
    text = ("Traceback (most recent call last):\n  File \"s.py\", line 1, in <module>\n"
            "KeyError: 'token'\n" + "".join(f"retry {i}\n" for i in range(5)))
    assert last_lines(text, n=2) == "KeyError: 'token' | ... | retry 3 | retry 4"


def _connect_app(behaviour):
    """An app whose connect handler for /admin raises, hangs, refuses or returns False."""
    import threading

    from flask import Flask
    from flask_socketio import ConnectionRefusedError, SocketIO

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test-only"
    socketio = SocketIO(app, async_mode="threading")
    app.release = threading.Event()

    @socketio.on("connect", namespace="/admin")
    def on_connect(auth):
        if behaviour == "raises":
            raise KeyError("token")
        if behaviour == "hangs":
            app.release.wait(5)
        if behaviour == "refuses":
            raise ConnectionRefusedError("bad token")
        if behaviour == "returns False":
            return False

    return app


@pytest.mark.parametrize("behaviour, says", [
    ("raises", "the server's connect handler raised KeyError: 'token'"),
    ("hangs", "the server's connect handler did not return"),
    ("refuses", "the server refused the connection: connect_error {'message': 'bad token'}"),
    ("returns False", "connect_error {'message': 'Connection rejected by server'}"),
])
def test_a_connection_that_fails_says_what_the_connect_handler_did(monkeypatch, behaviour, says):
    monkeypatch.setenv("FSL_CHECK_TIMEOUT", "0.3")
    app = _connect_app(behaviour)
    with pytest.raises(CheckFailed) as failed:
        with task(1, "connect") as t:
            t.start(app)
            t.client("carol", namespaces=["/admin"])
    app.release.set()
    assert says in str(failed.value)
    if behaviour in ("raises", "hangs"):  # not to be mistaken for a refusal
        assert "refused" not in str(failed.value)


def test_an_exception_in_the_learners_code_is_reported_as_theirs():
    import nbformat
    from nbclient import NotebookClient

    cells = ['from server.checks import task\ndef add(numbers):\n    return numbers["x"]',
             'with task(1, "add") as t:\n    add([1, 2])',
             'with task(2, "add") as t:\n    not_defined_yet([1, 2])']
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=60).execute()
    first, second = (c.outputs[0].evalue for c in nb.cells[1:])
    assert first.startswith("❌ Task 1 is not done yet: your code raised TypeError: "
                            "list indices must be integers or slices, not str in `add` (line 3")
    assert "run the task's code cell above first" not in first
    assert second.startswith("❌ Task 2 is not done yet: the check could not find "
                             "`not_defined_yet`.")
    assert "run the task's code cell above first" in second
