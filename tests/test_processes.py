"""server.processes: a private Redis, two server processes sharing it, and the registry.

Tests that need ``redis-server`` skip (with the how-to-install message) when it is missing,
unless ``FSL_REQUIRE_REDIS=1`` is set, as in CI: then they fail.
"""

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
import socketio

from server import record
from server.processes import (
    ProcessError,
    RedisNotFound,
    _wait_gone,
    cleanup,
    find_redis,
    start_process,
    start_redis,
)
from server.runner import PortInUseError
from ports import port_is_free

ROOT = Path(__file__).resolve().parents[1]
MQ_APP = str(ROOT / "tests" / "fixtures" / "mq_app.py")
MQ_EMITTER = str(ROOT / "tests" / "fixtures" / "mq_emitter.py")
READY = re.compile(r"ready on http://127\.0\.0\.1:(?P<port>\d+)")
# A child that lives at most 60 s, even if every cleanup below failed.
SLEEPER = ["-c", "import time; print('up', flush=True); time.sleep(60)"]


def alive(pid: int, create_time: float) -> bool:
    """Whether that exact process (pid and creation time) still runs, zombies excluded."""
    try:
        proc = psutil.Process(pid)
        return (abs(proc.create_time() - create_time) < 0.05
                and proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def child_pids() -> set[int]:
    """This process's descendants (other test modules may have some of their own)."""
    return {p.pid for p in psutil.Process().children(recursive=True)}


def wait_dead(pid: int, timeout: float = 5.0) -> bool:
    try:
        proc = psutil.Process(pid)
    except psutil.Error:
        return True
    return not _wait_gone([proc], time.monotonic() + timeout)


def previous_kernel(die_with_parent: bool) -> dict:
    """Like a kernel that started a process and then crashed: no cleanup, no atexit."""
    script = textwrap.dedent(f"""
        import json, os
        from server.processes import start_process
        p = start_process({SLEEPER!r}, name="leftover", ready_text="up", key="sim-key",
                          tag="sim", die_with_parent={die_with_parent})
        print(json.dumps({{"pid": p.pid, "create_time": p.create_time}}), flush=True)
        os._exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", autouse=True)
def state_dir(tmp_path_factory):
    """A private registry, so the tests never touch a learner's running processes."""
    path = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FSL_STATE_DIR", str(path))
        yield path


@pytest.fixture(scope="class")
def cluster(redis_required):
    """One Redis, servers A and B in their own processes, a client connected to each."""
    children_before = child_pids()
    redis = start_redis(key="test-redis", tag="cluster")
    servers = {
        name: start_process([MQ_APP, "--queue", redis.url, "--name", name], name=name,
                            ready_text=READY, key=f"test-{name}", tag="cluster")
        for name in ("a", "b")
    }
    clients, recorders = {}, {}
    try:
        for name, proc in servers.items():
            clients[name] = socketio.Client(reconnection=False)
            recorders[name] = record(clients[name], f"client-{name}")
            clients[name].connect(f"http://127.0.0.1:{proc.port}",
                                  transports=["websocket"], wait_timeout=5)
        # Each server subscribes to Redis when its first client connects, on a thread.
        assert redis.wait_subscribers(2) == 2
    except BaseException:
        for client in clients.values():
            client.disconnect()
        cleanup(tag="cluster")
        raise
    yield redis, servers, recorders, clients
    for client in clients.values():
        client.disconnect()
    ports = [redis.port, *(p.port for p in servers.values())]
    # Newest first: the servers stop before the Redis they listen to.
    assert cleanup(tag="cluster") == ["a", "b", "redis"]
    assert [p for p in ports if not port_is_free(p)] == []
    assert child_pids() - children_before == set()


@pytest.fixture
def recorders(cluster):
    for rec in cluster[2].values():
        rec.clear()
    return cluster[2]


class TestTwoServersShareRedis:
    """Broadcasts, rooms and external emitters cross from one server process to the other."""

    def test_broadcast_from_a_reaches_client_on_b(self, cluster, recorders):
        _, servers, _, clients = cluster
        clients["a"].emit("broadcast", {"n": 1})
        assert recorders["b"].wait_for("news", timeout=5).data == {"n": 1, "via": "a"}
        assert recorders["a"].wait_for("news", timeout=5).data == {"n": 1, "via": "a"}
        assert servers["a"].running and servers["b"].running

    def test_room_message_from_a_reaches_only_the_room_on_b(self, cluster, recorders):
        _, _, _, clients = cluster
        assert clients["b"].call("join", {"room": "lobby"}, timeout=5) == "joined lobby"
        clients["a"].emit("to_room", {"room": "lobby", "text": "hi"})
        got = recorders["b"].wait_for("room_news", timeout=5)
        assert got.data == {"room": "lobby", "text": "hi", "via": "a"}
        # Server A relays queue messages in order: once this broadcast reached client A,
        # a room message meant for it would have arrived first.
        clients["a"].emit("broadcast", {"n": 2})
        recorders["a"].wait_for("news", timeout=5)
        recorders["b"].wait_for("news", timeout=5)
        assert recorders["a"].received("room_news") == []

    def test_external_emitter_reaches_both(self, cluster, recorders):
        redis, _, _, clients = cluster
        emitter = start_process(
            [MQ_EMITTER, "--queue", redis.url, "--event", "news", "--data", '{"n": 3}'],
            name="emitter", key="test-emitter",
        )
        assert emitter.wait(10) == 0, emitter.output()
        assert "emitted news" in emitter.output()
        for name in ("a", "b"):
            assert recorders[name].wait_for("news", timeout=5).data == {"n": 3}

    def test_external_emitter_to_a_room(self, cluster, recorders):
        redis, _, _, clients = cluster
        assert clients["b"].call("join", {"room": "lobby"}, timeout=5) == "joined lobby"
        emitter = start_process(
            [MQ_EMITTER, "--queue", redis.url, "--event", "room_news", "--data", '{"n": 4}',
             "--room", "lobby"],
            name="emitter", key="test-emitter",
        )
        assert emitter.wait(10) == 0, emitter.output()
        assert recorders["b"].wait_for("room_news", timeout=5).data == {"n": 4}


def test_redis_stop_frees_the_port_and_its_directory(redis_required):
    redis = start_redis(key="test-stop")
    assert redis.url == f"redis://127.0.0.1:{redis.port}"
    workdir = redis._files[0]
    assert os.path.isdir(workdir)
    assert redis.stop() == 0
    assert redis.stop() == 0  # again: nothing more happens
    assert port_is_free(redis.port)
    assert not os.path.exists(workdir)
    assert not redis.log_path.exists()
    assert "Ready to accept connections" in redis.output()


def test_wait_subscribers_explains_the_timeout(redis_required):
    with start_redis(key="test-subscribers") as redis:
        with pytest.raises(ProcessError, match="0 of 1 subscriber.*first client connects"):
            redis.wait_subscribers(1, timeout=0.05)


def test_redis_on_a_port_in_use(redis_required):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(PortInUseError, match="port is in use"):
            start_redis(port=busy.getsockname()[1], key="test-busy")


def test_same_key_stops_the_previous_process():
    children_before = child_pids()
    first = start_process(SLEEPER, name="sleeper", ready_text="up", key="test-same")
    second = start_process(SLEEPER, name="sleeper", ready_text="up", key="test-same")
    assert not first.running
    assert second.running
    second.stop()
    assert child_pids() - children_before == set()


def test_rerunning_the_same_line_stops_the_previous_process():
    handles = [start_process(SLEEPER, name="sleeper", ready_text="up") for _ in range(2)]
    assert [h.running for h in handles] == [False, True]
    handles[1].stop()


def test_same_key_stops_what_a_previous_kernel_left():
    left = previous_kernel(die_with_parent=False)
    assert alive(left["pid"], left["create_time"])
    fresh = start_process(SLEEPER, name="leftover", ready_text="up", key="sim-key", tag="sim")
    assert wait_dead(left["pid"])
    assert fresh.running
    assert cleanup(tag="sim") == ["leftover"]
    assert not fresh.running


def test_cleanup_stops_what_a_previous_kernel_left():
    left = previous_kernel(die_with_parent=False)
    assert alive(left["pid"], left["create_time"])
    assert cleanup(tag="sim") == ["leftover"]
    assert wait_dead(left["pid"])
    assert cleanup(tag="sim") == []


def test_another_live_kernel_keeps_its_processes():
    # Two kernels running the same notebook (an exercise and its solution, two test workers)
    # use the same keys and tag; neither may stop the other's processes.
    script = textwrap.dedent(f"""
        import json, sys
        from server.processes import start_process
        p = start_process({SLEEPER!r}, name="theirs", ready_text="up", key="sim-key", tag="sim")
        print(json.dumps({{"pid": p.pid, "create_time": p.create_time}}), flush=True)
        sys.stdin.read()  # live until the test closes stdin; then atexit stops the child
    """)
    other = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        theirs = json.loads(other.stdout.readline())
        mine = start_process(SLEEPER, name="mine", ready_text="up", key="sim-key", tag="sim")
        assert alive(theirs["pid"], theirs["create_time"])
        assert cleanup(tag="sim") == ["mine"]
        assert alive(theirs["pid"], theirs["create_time"])
        assert not mine.running
    finally:
        other.communicate("", timeout=30)
    assert wait_dead(theirs["pid"])
    assert cleanup(tag="sim") == []


def test_cleanup_never_kills_a_recycled_pid(state_dir):
    # A record whose pid now belongs to another process (here: this one).
    record_file = state_dir / "procs" / "recycled.json"
    record_file.parent.mkdir(exist_ok=True)
    record_file.write_text(json.dumps({
        "key": "old", "name": "old-server", "tag": "sim", "pid": os.getpid(),
        "create_time": 12345.0, "started": 0, "log": "", "files": [],
    }))
    assert cleanup(tag="sim") == []
    assert not record_file.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_processes_die_with_the_kernel():
    left = previous_kernel(die_with_parent=True)
    assert wait_dead(left["pid"])
    assert cleanup(tag="sim") == []  # only a stale record was left


def test_early_exit_shows_the_output():
    with pytest.raises(ProcessError, match=r"exited with code 3 before it was ready(.|\n)*boom"):
        start_process(["-c", "import sys; print('boom'); sys.exit(3)"], name="crasher",
                      ready_text="never printed")


def test_not_ready_in_time_is_stopped():
    children_before = child_pids()
    expected = "not ready within 0.3 s (waited for output containing 'never printed')"
    with pytest.raises(ProcessError, match=re.escape(expected)):
        start_process(SLEEPER, name="slow", ready_text="never printed", timeout=0.3)
    assert child_pids() - children_before == set()


def test_ready_port_already_taken():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(PortInUseError, match="already accepts connections"):
            start_process(SLEEPER, name="late", ready_port=busy.getsockname()[1])


def test_missing_redis_server_explains_how_to_install(monkeypatch):
    monkeypatch.setenv("REDIS_SERVER", "/nonexistent/redis-server")
    with pytest.raises(RedisNotFound, match="REDIS_SERVER is set to") as info:
        start_redis(key="test-missing")
    message = str(info.value)
    for how in ("conda install -c conda-forge redis-server", "sudo apt-get install redis-server",
                "brew install redis", "Python 3.11", "environment.yml"):
        assert how in message
    assert isinstance(info.value, RuntimeError)


def test_redis_server_not_on_path(monkeypatch, tmp_path):
    monkeypatch.delenv("REDIS_SERVER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(RedisNotFound, match="not found on PATH(.|\n)*brew install redis"):
        find_redis()


def test_scratch_dir_replaces_earlier_folders_of_its_tag_but_not_a_live_kernels(tmp_path, monkeypatch):
    from server.processes import scratch_dir

    monkeypatch.setenv("FSL_STATE_DIR", str(tmp_path))
    first = scratch_dir("lesson")
    (first / "nginx.conf").write_text("x")
    second = scratch_dir("lesson")                      # a re-run in this kernel
    assert not first.exists() and second.is_dir() and not any(second.iterdir())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                        # a kernel that has ended
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        ended = tmp_path / "scratch" / f"lesson-{dead.pid}-old"
        other = tmp_path / "scratch" / f"lesson-{live.pid}-old"
        kept = tmp_path / "scratch" / f"other-{dead.pid}-old"
        for folder in (ended, other, kept):
            folder.mkdir()
        third = scratch_dir("lesson")
        assert not ended.exists() and other.exists() and kept.exists() and not second.exists()
        assert third.stat().st_mode & 0o777 == 0o700
    finally:
        live.kill()
        live.wait()
    with pytest.raises(ValueError, match="letters, digits"):
        scratch_dir("../etc")
