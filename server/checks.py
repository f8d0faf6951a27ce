"""Honest, immediate checks for exercise notebooks.

A check exercises behaviour over a real connection: it starts the learner's app with
:func:`server.start_server`, connects real python-socketio clients, and asserts what they
receive. It never reads the learner's source, so any correct solution passes. A failure
raises :class:`CheckFailed` with a message written for the learner: what was tried, what
came back, what was expected, and which hint to read.

Example check cell::

    with task(1, "my_event is echoed back as my_response") as t:
        t.start(app)
        alice = t.client("alice")
        alice.emit("my_event", {"data": "hi"})
        reply = t.expect(alice, "my_response", tried="alice emitted my_event {'data': 'hi'}",
                         hint=1)
        t.equal(reply.data, {"data": "hi"}, "the my_response payload", hint=2)
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path

import socketio

from .processes import ProcessError, start_process, start_redis
from .recorder import Received, record
from .runner import ServerHandle, start_server

__all__ = ["CheckFailed", "Cluster", "TaskCheck", "connect_timeout", "default_timeout", "last_lines", "task"]

PASS_MARK = "✅"
FAIL_MARK = "❌"
#: Environment variable: how long, in seconds, a check waits for an event (default 1.0).
TIMEOUT_VARIABLE = "FSL_CHECK_TIMEOUT"


def default_timeout() -> float:
    """How long :meth:`TaskCheck.expect` waits for an event unless told otherwise, in seconds.

    1.0 by default: on loopback a reply takes milliseconds, so a second only runs out when
    the event is never sent. On a slow shared machine (a busy Binder, say) give checks more
    time with ``%env FSL_CHECK_TIMEOUT=3`` in the notebook, or in the shell that starts
    Jupyter. The kit's own tests shorten it for exercises that are meant to fail.

    :returns: the value of ``FSL_CHECK_TIMEOUT`` if set, else 1.0.
    :raises ValueError: if ``FSL_CHECK_TIMEOUT`` is not a positive number of seconds.
    """
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"{TIMEOUT_VARIABLE}={text!r} is not a positive number of seconds: "
                         f"set it to e.g. 3, or unset it for the default of 1 s")
    return value


def connect_timeout() -> float:
    """How long a check's client waits for the server to accept its connection, in seconds.

    At least 2 s, or :func:`default_timeout` if that is longer: a connection takes a
    handshake, a thread and the learner's ``connect`` handler, which on a busy machine takes
    longer than a reply does; a handler that never returns still fails the check.

    :raises ValueError: as :func:`default_timeout`.
    """
    return max(default_timeout(), 2.0)


class CheckFailed(AssertionError):
    """A task's check did not pass; the message says what to do next."""


class TaskCheck:
    """The context of one task's check: the servers and clients it started, and its verdicts.

    Use it through :func:`task`. Everything it starts is stopped when the ``with`` block
    ends, pass or fail, so a check cell can be re-run at will.

    :ivar number: the task number, as in "Task 2".
    :ivar title: what the task asks for, in a few words.
    """

    def __init__(self, number: int, title: str):
        self.number = number
        self.title = title
        self._servers: list[ServerHandle] = []
        self._clients: list[socketio.Client] = []
        self._clusters: list[Cluster] = []

    # -- setting up ---------------------------------------------------------------------
    @property
    def server(self) -> ServerHandle:
        """The server started last by :meth:`start` (``.url`` to connect a client by hand)."""
        return self._servers[-1]

    def start(self, app) -> ServerHandle:
        """Start the learner's app in the kernel (see :func:`server.start_server`).

        :param app: the Flask app with its ``SocketIO`` extension.
        :returns: the running :class:`ServerHandle`; stopped when the check ends.
        :raises CheckFailed: if the app cannot be served (no SocketIO, wrong async_mode).
        """
        try:
            handle = start_server(app, key=f"check:task-{self.number}")
        except (TypeError, ValueError) as exc:
            self.fail("the app could not be started", got=str(exc))
        self._servers.append(handle)
        return handle

    def client(self, name: str = "client", *, namespaces: list[str] | None = None,
               auth=None, transports: list[str] | None = None, connect: bool = True):
        """A recorded python-socketio client, connected to the last server started.

        :param name: the client's name in messages, e.g. ``"alice"``.
        :param namespaces: namespaces to connect to (default: just ``"/"``).
        :param auth: the ``auth`` payload sent with the connection.
        :param transports: default ``["websocket"]``.
        :param connect: ``False`` to get an unconnected client (to test refusals).
        :returns: the ``socketio.Client``; its recorder is ``client.rec``.
        :raises CheckFailed: if the server refuses or drops the connection.
        """
        client = socketio.Client(reconnection=False)
        client.rec = record(client, name)
        self._clients.append(client)
        if connect:
            errors_before = self._error_count()
            try:
                client.connect(self._servers[-1].url, namespaces=namespaces, auth=auth,
                               transports=transports or ["websocket"],
                               wait_timeout=connect_timeout())
            except socketio.exceptions.ConnectionError as exc:
                self.fail(f"{name} could not connect", tried=f"{name} connected to "
                          f"{namespaces or ['/']}",
                          got=self._why_not_connected(client, exc, errors_before),
                          expected="the connection to be accepted")
        return client

    def _why_not_connected(self, client, exc: Exception, errors_before: int) -> str:
        """Why ``client.connect()`` failed, in the learner's terms.

        python-socketio reports a ``connect`` handler that raised and one that never returned
        alike ("Unexpected connection error"); a refusal gives "One or more namespaces failed
        to connect" and a ``connect_error`` event. The server's recorded errors and that event
        tell the three apart.
        """
        new_errors = [e for h in self._servers for e in h.errors][errors_before:]
        if new_errors:
            err = new_errors[0].exception
            return (f"the server's connect handler raised {type(err).__name__}: {err}, so the "
                    "connection was never accepted")
        refusals = client.rec.received("connect_error")
        if refusals:
            data = refusals[-1].args[0] if refusals[-1].args else None
            return f"the server refused the connection: connect_error {data!r}"
        if "failed to connect" in str(exc) or "Unexpected connection error" in str(exc):
            return (f"no answer within {connect_timeout():g} s: the server's connect handler "
                    "did not return (a loop or a long wait inside `connect` keeps the "
                    "connection from ever completing)")
        return f"the connection failed: {exc}"

    def cluster(self, tag: str) -> "Cluster":
        """Processes for a check that scales out: a private Redis, servers, clients, workers.

        :param tag: the notebook's process tag (see :func:`server.cleanup`), so that an
            interrupted check's processes are found again by ``cleanup(tag=...)``.
        :returns: a :class:`Cluster` with its Redis running; stopped when the check ends.
        :raises RedisNotFound: if no ``redis-server`` program is installed.
        """
        cluster = Cluster(self, tag)
        self._clusters.append(cluster)
        return cluster

    def restart(self) -> ServerHandle:
        """Crash the last server started and serve its app again on the same port.

        Its clients lose their connections with no goodbye, so those with reconnection on
        come back, with new sids (see :func:`server.flaky.restart_server`). The new server
        is stopped when the check ends, like the others.

        :returns: the new, running :class:`~server.runner.ServerHandle`.
        :raises CheckFailed: if no server was started, or the port was taken meanwhile.
        """
        from .flaky import restart_server  # flaky imports runner only: no cycle, but keep it late

        if not self._servers or not self._servers[-1].running:
            self.fail("the check has no running server to restart")
        try:
            handle = restart_server(self._servers[-1])
        except OSError as exc:  # PortInUseError: another program took the port meanwhile
            self.fail("the server could not be started again on its port", got=str(exc))
        self._servers.append(handle)
        return handle

    # -- verdicts -----------------------------------------------------------------------
    def call(self, client, event: str, data=None, *, namespace: str | None = None,
             tried: str = "", expected: str = "", hint=None, timeout: float | None = None):
        """Emit ``event`` from ``client`` and return the server's acknowledgement (ack).

        The same as python-socketio's ``client.call(event, data)`` ("Event callbacks",
        https://python-socketio.readthedocs.io/en/stable/client.html#event-callbacks),
        except that no ack fails the check with a learner-facing message, and at once if a
        server handler raised (a stub still raising ``NotImplementedError``, say).

        :param client: a client from :meth:`client`.
        :param event: the event name to emit.
        :param data: the payload; a tuple sends several arguments, ``None`` sends none.
        :param namespace: the namespace to emit in (default ``"/"``).
        :param tried: what the check did, in words ("bob called add [1, 2]").
        :param expected: what should have come back, in words (default: an ack).
        :param hint: the number of the hint to read if it fails.
        :param timeout: maximum wait for the ack, in seconds; default
            :func:`default_timeout`.
        :returns: the ack as the handler returned it: its value, a tuple if it returned
            several, ``None`` if it returned nothing.
        :raises CheckFailed: if no ack came back in time.
        """
        if timeout is None:
            timeout = default_timeout()
        acks: list[tuple] = []
        arrived = threading.Event()

        def on_ack(*values):
            acks.append(values)
            arrived.set()

        errors_before = self._error_count()
        client.emit(event, data, namespace=namespace, callback=on_ack)
        if not self._wait(arrived.wait, timeout, errors_before):
            self.fail(f"{client.rec.name} got no acknowledgement for {event!r}",
                      tried=tried or f"{client.rec.name} called {event!r}",
                      got=f"no ack within {timeout:g} s",
                      expected=expected or "the handler's return value as the ack", hint=hint)
        values = acks[0]
        return values if len(values) > 1 else values[0] if values else None

    def expect(self, client, event: str, *, tried: str = "", expected: str = "", hint=None,
               namespace: str | None = None, timeout: float | None = None, count: int = 1):
        """Wait for ``event`` at ``client``; fail with a learner-facing message if it never comes.

        :param client: a client from :meth:`client`.
        :param event: the event name expected.
        :param tried: what the check did, in words ("alice emitted my_event {...}").
        :param expected: what should have happened, in words (default: the event arriving).
        :param hint: the number of the hint to read if it fails.
        :param namespace: only count events in this namespace.
        :param timeout: maximum wait, in seconds; default :func:`default_timeout` (1.0
            unless ``FSL_CHECK_TIMEOUT`` says otherwise). The wait ends early if a server
            handler raised.
        :param count: how many such events to wait for.
        :returns: the :class:`~server.recorder.Received` event (a list if ``count > 1``).
        :raises CheckFailed: if it did not arrive in time.
        """
        if timeout is None:
            timeout = default_timeout()
        received = []

        def arrived(seconds: float) -> bool:
            try:
                received.append(client.rec.wait_for(event, count=count, timeout=seconds,
                                                    namespace=namespace))
                return True
            except TimeoutError:
                return False

        if self._wait(arrived, timeout, self._error_count()):
            return received[0]
        got = self._describe_received(client, timeout)
        self.fail(f"{client.rec.name} did not receive {event!r}", tried=tried, got=got,
                  expected=expected or f"{count} {event!r} event(s) at {client.rec.name}",
                  hint=hint)

    def expect_nothing(self, client, event: str, *, within: float = 0.3, tried: str = "",
                       expected: str = "", hint=None, namespace: str | None = None) -> None:
        """Check that ``event`` does NOT reach ``client`` within ``within`` seconds.

        Waiting for an absence needs a bounded wait; keep ``within`` short and call this
        after positive checks, when the event would already have arrived.

        :param client: a client made by :meth:`client` (it has a recorder, ``client.rec``).
        :param event: the event name that must not arrive.
        :param within: how long to wait for it, in seconds (default 0.3).
        :param tried: what the check did, for the failure message.
        :param expected: what should have happened instead (default: "no EVENT at NAME").
        :param hint: the hint number to point the learner at when it fails.
        :param namespace: only count the event in this namespace; ``None`` for any.
        :raises CheckFailed: if it arrived.
        """
        try:
            got = client.rec.wait_for(event, timeout=within, namespace=namespace)
        except TimeoutError:
            return
        self.fail(f"{client.rec.name} received {event!r} but should not have", tried=tried,
                  got=repr(got), expected=expected or f"no {event!r} at {client.rec.name}",
                  hint=hint)

    def equal(self, actual, expected, what: str, *, tried: str = "", hint=None) -> None:
        """Fail unless ``actual == expected``.

        :param what: what is compared, in words ("the my_response payload").
        :raises CheckFailed: if they differ.
        """
        if actual != expected:
            self.fail(f"{what} is not right", tried=tried, got=repr(actual),
                      expected=repr(expected), hint=hint)

    def true(self, condition: bool, what: str, *, tried: str = "", got: str = "",
             expected: str = "", hint=None) -> None:
        """Fail with ``what`` unless ``condition`` holds.

        :raises CheckFailed: if ``condition`` is false.
        """
        if not condition:
            self.fail(what, tried=tried, got=got, expected=expected, hint=hint)

    def fail(self, what: str, *, tried: str = "", got: str = "", expected: str = "",
             hint=None):
        """Stop the check with a learner-facing message.

        :raises CheckFailed: always.
        """
        __tracebackhide__ = True
        lines = [f"{FAIL_MARK} Task {self.number} is not done yet: {what}."]
        for label, text in (("Tried", tried), ("Got", got), ("Expected", expected)):
            if text:
                lines.append(f"   {label + ':':<9} {text}")
        for handle in self._servers:
            for err in handle.errors:
                advice = (" (replace `raise NotImplementedError()` with your code)"
                          if isinstance(err.exception, NotImplementedError) else "")
                lines.append(f"   {'Server:':<9} {err}{advice}")
        if hint is not None:
            lines.append(f"   Hint:     open hint {hint} of task {self.number} above.")
        raise CheckFailed("\n".join(lines))

    # -- plumbing -----------------------------------------------------------------------
    def _error_count(self) -> int:
        return sum(len(h.errors) for h in self._servers)

    def _wait(self, attempt, timeout: float, errors_before: int) -> bool:
        """Call ``attempt(seconds)`` until it returns True; False once ``timeout`` seconds
        passed or a server handler raised since ``errors_before`` errors were counted.

        Short slices, so that a handler that raised (a stub still raising
        NotImplementedError, say) fails the check at once instead of at the timeout.
        """
        deadline = time.monotonic() + timeout
        while not attempt(max(0.0, min(0.05, deadline - time.monotonic()))):
            if self._error_count() > errors_before or time.monotonic() >= deadline:
                return False
        return True

    def _describe_received(self, client, timeout: float) -> str:
        events = [r for r in client.rec.received() if r.event not in ("connect",)]
        if not events:
            return f"nothing within {timeout:g} s"
        shown = ", ".join(_label(r) for r in events[-5:])
        return f"nothing new within {timeout:g} s; {client.rec.name} had received: {shown}"

    def _close(self) -> None:
        for cluster in self._clusters:
            cluster.close()
        for handle in self._servers:
            handle.stop()  # disconnects the clients from the server side: fast
        for client in self._clients:
            if client.connected:
                client.disconnect()

    def __enter__(self) -> "TaskCheck":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        __tracebackhide__ = True
        try:
            self._close()
        except Exception:
            pass
        if exc_type is None:
            print(f"{PASS_MARK} Task {self.number} passed: {self.title}.")
            return False
        if issubclass(exc_type, CheckFailed):
            return False
        # Anything else came from the learner's code (a NameError, a stub...): explain it.
        if isinstance(exc, NotImplementedError):
            what = "its code cell still raises NotImplementedError"
            advice = "replace `raise NotImplementedError()` with your code, run that cell, then this one"
        elif isinstance(exc, socketio.exceptions.TimeoutError):
            what = "a call() got no acknowledgement"
            advice = "make the handler return its answer (see the task's hints)"
        else:
            what, advice = _explain(exc, tb)
        lines = [f"{FAIL_MARK} Task {self.number} is not done yet: {what}."]
        lines += [f"   {'Server:':<9} {err}" for h in self._servers for err in h.errors]
        lines.append(f"   {'Next:':<9} {advice}.")
        raise CheckFailed("\n".join(lines)) from None


#: What a server script run by :meth:`Cluster.server` prints once it listens.
READY_LINE = re.compile(r"ready on http://127\.0\.0\.1:(?P<port>\d+)")


def last_lines(text: str, n: int = 4) -> str:
    """The last ``n`` lines a process printed, on one line, with advice if it hit a stub.

    :param text: the process's output.
    :param n: how many lines to keep.
    :returns: the lines joined with `` | ``, or ``"nothing"``. If the text holds a Python
        traceback whose exception line is not among the last ``n`` lines, that line comes
        first: a crashed process's reason is never cut off.
    """
    all_lines = text.strip().splitlines()
    tail = all_lines[-n:]
    crash = _exception_line(all_lines)
    if crash and crash not in tail:  # it crashed, then printed more: keep why it crashed
        tail = [crash, "...", *tail]
    lines = " | ".join(line.strip() for line in tail) or "nothing"
    if "NotImplementedError" in lines:
        lines += " (replace `raise NotImplementedError()` in the script with your code)"
    return lines


def _exception_line(lines: list[str]) -> str | None:
    """The exception line of the last Python traceback in ``lines`` ("KeyError: 'x'"), if any."""
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call")]
    if not starts:
        return None
    for line in lines[starts[-1] + 1:]:
        if line and not line[0].isspace() and not line.startswith("Traceback"):
            return line
    return None


class Cluster:
    """One check's processes: a private Redis, server processes sharing it, clients, workers.

    The learner's code is a script (a string); the cluster writes it to a file of its own
    and runs it, as in "Using Multiple Workers" and "Emitting from an External Process"
    (https://flask-socketio.readthedocs.io/en/latest/deployment.html). Server processes get
    ``MESSAGE_QUEUE`` (the Redis URL) and ``SECRET_KEY`` (one random key for all of them) in
    their environment, and must print ``ready on http://127.0.0.1:<port>`` once they listen
    (:data:`READY_LINE`); workers get ``MESSAGE_QUEUE``. Everything it started is stopped,
    and its folder removed, by :meth:`close`, which the check calls when it ends.

    Get one from :meth:`TaskCheck.cluster`. Each process gets ``timeout`` seconds (15) to
    be ready or to finish: a fresh Python importing Flask-SocketIO takes under a second,
    but took over 5 s on a loaded 2-core machine (several test workers at once).

    :ivar urls: ``{server name: its URL}``.
    :ivar redis: the :class:`~server.processes.RedisHandle`.
    """

    def __init__(self, check: TaskCheck, tag: str, timeout: float = 15.0):
        self.check, self.tag, self.timeout = check, tag, timeout
        self.urls: dict[str, str] = {}
        self._clients: list[socketio.Client] = []
        self._processes: list = []
        self._folder = Path(tempfile.mkdtemp(prefix=f"fsl-{tag}-"))
        self._secret_key = secrets.token_hex(16)
        self.redis = start_redis(key=f"{tag}:redis", tag=tag)

    def server(self, name: str, script: str, *, hint=None) -> str:
        """Run ``script`` as server process ``name``, sharing this cluster's Redis.

        :param name: the server's name in messages and in :meth:`client`, e.g. ``"A"``.
        :param script: the Python source of the server.
        :param hint: the hint to read if it does not start.
        :returns: its URL.
        :raises CheckFailed: if it exits or is not ready within the cluster's timeout
            (15 s), with the last lines it printed.
        """
        path = self._write(f"task{self.check.number}_server.py", script)
        env = {"MESSAGE_QUEUE": self.redis.url, "SECRET_KEY": self._secret_key}
        try:
            proc = start_process([str(path)], env=env, ready_text=READY_LINE,
                                 timeout=self.timeout, tag=self.tag, name=f"server-{name}",
                                 key=f"{self.tag}:server-{name}")
        except ProcessError as exc:
            self.check.fail(f"server {name} did not start", tried=f"python {path.name}",
                            got=last_lines(str(exc)), hint=hint,
                            expected="it prints 'ready on http://127.0.0.1:<port>' and serves")
        self._processes.append(proc)
        self.urls[name] = f"http://127.0.0.1:{proc.port}"
        return self.urls[name]

    def client(self, name: str, server: str, *, auth=None) -> socketio.Client:
        """A recorded client ``name``, connected over WebSocket to server process ``server``.

        :param name: the client's label in messages, e.g. ``"alice"``.
        :param server: which server process, by the name the cluster gave it (``"A"``...).
        :param auth: the ``auth`` payload sent with the connection (default: none).
        :returns: the ``socketio.Client``; its recorder is ``client.rec``.
        :raises CheckFailed: if the connection is refused.
        """
        client = socketio.Client(reconnection=False)
        client.rec = record(client, name)
        self._clients.append(client)
        try:
            client.connect(self.urls[server], transports=["websocket"], wait_timeout=2,
                           auth=auth)
        except socketio.exceptions.ConnectionError as exc:
            self.check.fail(f"{name} could not connect to server {server}",
                            got=f"the connection was refused: {exc}",
                            expected="the connection to be accepted")
        return client

    def expect_listeners(self, count: int, *, hint=None) -> None:
        """Fail unless ``count`` server processes listen on the message queue (within 2 s).

        A server subscribes when its first client connects: connect one to each first.

        :raises CheckFailed: if fewer subscribed.
        """
        try:
            self.redis.wait_subscribers(count, timeout=2)
        except ProcessError as exc:
            self.check.fail("not every server process listens on the message queue",
                            tried=f"connected a client to each of the {count} server processes",
                            got=str(exc).splitlines()[0], hint=hint,
                            expected=f"{count}: a server subscribes when its first client "
                                     "connects, if its SocketIO was given message_queue=...")

    def run_worker(self, script: str) -> tuple[int, str]:
        """Run ``script`` as a worker until it exits.

        :param script: the worker's Python source; it gets the queue's URL in the
            ``MESSAGE_QUEUE`` environment variable.
        :returns: its exit code and everything it printed.
        :raises CheckFailed: if it still runs after the cluster's timeout (15 s).
        """
        path = self._write(f"task{self.check.number}_worker.py", script)
        worker = start_process([str(path)], env={"MESSAGE_QUEUE": self.redis.url},
                               tag=self.tag, name="worker", key=f"{self.tag}:worker")
        self._processes.append(worker)
        try:
            return worker.wait(timeout=self.timeout), worker.output()
        except ProcessError:
            worker.stop()
            self.check.fail(f"the worker was still running after {self.timeout:g} s",
                            tried=f"python {path.name}", got=last_lines(worker.output()),
                            expected="it emits, then exits")

    def close(self) -> None:
        """Disconnect the clients, stop the processes (newest first) and Redis, remove the
        scripts. Safe to call twice."""
        for client in self._clients:
            if client.connected:
                client.disconnect()
        for proc in reversed(self._processes):
            proc.stop()
        self.redis.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _write(self, name: str, script: str) -> Path:
        path = self._folder / name
        path.write_text(script)
        return path


_LIBRARY_PARTS = ("site-packages", "dist-packages", f"{os.sep}lib{os.sep}python")
_KIT_DIR = str(Path(__file__).resolve().parent)


def _explain(exc: BaseException, tb) -> tuple[str, str]:
    """What went wrong when ``exc`` escaped a check's ``with`` block, and what to do.

    The check cell's own frame is the first of ``tb``. If the innermost frame that is
    neither the kit's nor a library's is in another file, the exception came from the
    learner's code (a function the check called): say so, with the exception on one line.
    If it is the check cell itself, a name the check needs is missing (the task's code cell
    was not run) or the check stumbled on what the learner's code returned.

    :returns: ``(what, advice)`` for the failure message.
    """
    check_file = tb.tb_frame.f_code.co_filename if tb is not None else None
    mine = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith(_KIT_DIR) and not any(part in name for part in _LIBRARY_PARTS):
            mine = tb
        tb = tb.tb_next
    one_line = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if mine is not None and mine.tb_frame.f_code.co_filename != check_file:
        where = mine.tb_frame.f_code.co_name
        where = "" if where == "<module>" else f" in `{where}`"
        return (f"your code raised {one_line}{where} (line {mine.tb_lineno} of its cell)",
                "fix it (the task's hints show the way), run its cell again, then this one")
    if isinstance(exc, NameError):
        return (f"the check could not find `{getattr(exc, 'name', None) or exc}`",
                "run the task's code cell above first (and the setup cell), then this one")
    return (f"the check could not use what your code gave it: {one_line}",
            "compare what your code returns with what the task asks for (see its hints)")


def _label(r: Received) -> str:
    return f"{r.event}({', '.join(repr(a) for a in r.args)})" if r.args else r.event


def task(number: int, title: str) -> TaskCheck:
    """Open the check of task ``number``; use it as ``with task(1, "...") as t:``.

    On success it prints ``✅ Task N passed: <title>.``; on failure it raises
    :class:`CheckFailed` with a learner-facing message. Errors from the learner's own code
    inside the block (a ``NameError`` because a cell was not run, a stub still raising
    ``NotImplementedError``) become a :class:`CheckFailed` saying what to do.

    :param number: the task number.
    :param title: what the task asks for, in a few words.
    :returns: a :class:`TaskCheck`.
    """
    return TaskCheck(number, title)


# -- lesson 10 (deploying): the learner's nginx config and gunicorn command, run for real ----
# Additive helpers for exercises/10_deploying.ipynb. The learner's deliverable is a config
# text and a command line; the checks run them in a real nginx and a real gunicorn
# (.venv-deploy) and judge what clients get through them, in the learner's terms.

from contextlib import contextmanager  # noqa: E402


@contextmanager
def deployed_nginx(t: TaskCheck, locations, *, upstream_ports, tls=None, hint=None):
    """Run the learner's ``location`` blocks in a real nginx for the length of a ``with`` block.

    :param t: the task's check.
    :param locations: the learner's text (nginx syntax).
    :param upstream_ports: the chat servers' ports, as ``upstream chat { ... }``.
    :param tls: ``(certificate, key)`` to listen with TLS, else ``None``.
    :returns: (as the ``with`` target) the :class:`server.nginx.NginxHandle`, stopped after.
    :raises CheckFailed: if the text is not a string, nginx refuses it, or nginx is missing.
    """
    from .nginx import NginxConfigError, NginxNotFound, start_nginx

    if not isinstance(locations, str):
        t.fail("the config must be a string of nginx `location` blocks",
               got=f"a {type(locations).__name__}", hint=hint)
    if "$http_host" in locations:
        t.fail("the config forwards the client's raw Host header ($http_host)",
               tried="reading your config", got="$http_host",
               expected="$host (nginx's validated host name), with the port sent in "
                        "X-Forwarded-Host $host:$server_port; Debian's proxy_params explains "
                        "why $http_host is unsafe", hint=hint)
    try:
        proxy = start_nginx(locations, upstream_ports=upstream_ports, tls=tls,
                            name=f"check nginx task {t.number}", key=f"check:nginx-{t.number}")
    except NginxNotFound as exc:
        t.fail("nginx is not installed on this machine", got=str(exc).splitlines()[0],
               expected="nginx: " + str(exc).splitlines()[2].strip())
    except NginxConfigError as exc:
        t.fail("nginx refused the config", tried="nginx -t with your location blocks",
               got=" / ".join(str(exc).splitlines()[1:]), hint=hint)
    try:
        yield proxy
    finally:
        proxy.stop()


def check_proxied_chat(t: TaskCheck, url: str, *, session=None, hint=None) -> dict:
    """Fail unless the chat's page and its Socket.IO connections work through ``url``.

    In order: ``GET /`` is the chat page; a long-polling request with the page's ``Origin``
    passes the Origin check; a WebSocket handshake succeeds (``101``); a default client ends
    on WebSocket.

    :param t: the running check (:class:`TaskCheck`).
    :param url: the proxy's address.
    :param session: a ``requests.Session`` (for ``https://``, one trusting the lesson's CA).
    :param hint: the hint number to point the learner at when it fails.
    :returns: the :func:`server.deploy.connection_report` of ``url``.
    :raises CheckFailed: with what failed, in the learner's terms.
    """
    import requests

    from .deploy import connection_report

    session = session or requests.Session()
    try:
        page = session.get(url + "/", timeout=5)
    except requests.RequestException as exc:
        t.fail("the page could not be fetched through nginx", tried=f"GET {url}/",
               got=type(exc).__name__, hint=hint)
    if page.status_code != 200 or "<title>Chat</title>" not in page.text:
        why = {502: " (nginx could not reach the app: check where `proxy_pass` sends `/`)",
               404: " (no location serves `/`, or it points at the wrong place)"}
        t.fail("the chat page did not come through nginx", tried=f"GET {url}/",
               got=f"{page.status_code} {page.reason}{why.get(page.status_code, '')}",
               expected="200 with the chat page", hint=hint)
    report = connection_report(url, session=session)
    polled = report["polling_with_origin"]
    if "Not an accepted origin" in polled:
        t.fail("the origin was refused", tried=f"a long-polling request with Origin: {url} "
               "(what the chat page sends)", got=polled,
               expected="200: the app compares the Origin with the Host it receives; "
                        "send the port too (X-Forwarded-Host $host:$server_port, "
                        "and X-Forwarded-Proto $scheme)", hint=hint)
    if polled != "200":
        t.fail("Socket.IO requests did not reach the app", tried=f"GET {url}/socket.io/?"
               "EIO=4&transport=polling", got=polled, expected="200 from the chat (check the "
               "`location /socket.io` block and its `proxy_pass`)", hint=hint)
    if report["websocket_only"] != "101 Switching Protocols":
        t.fail("the WebSocket upgrade does not get through: a default client stays stuck on "
               "long-polling and a WebSocket-only client fails",
               tried="a WebSocket handshake to /socket.io/", got=report["websocket_only"],
               expected="101 Switching Protocols (proxy_http_version 1.1, and the Upgrade "
                        "and Connection headers)", hint=hint)
    if report["client"] != "websocket":
        t.fail("a default client did not end on WebSocket", tried="socketio.Client().connect()",
               got=report["client"], expected="websocket", hint=hint)
    return report


def _workers(args: list[str]) -> int:
    for i, arg in enumerate(args):
        for flag in ("-w", "--workers"):
            if arg == flag and i + 1 < len(args):
                return int(args[i + 1]) if args[i + 1].isdigit() else 0
            if arg.startswith(flag + "=") or (flag == "-w" and arg.startswith("-w")
                                               and arg[2:].isdigit()):
                value = arg.split("=", 1)[1] if "=" in arg else arg[2:]
                return int(value) if value.isdigit() else 0
    return 1


def _worker_class(args: list[str]) -> str:
    for i, arg in enumerate(args):
        if arg in ("-k", "--worker-class") and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--worker-class="):
            return arg.split("=", 1)[1]
        if arg.startswith("-k") and len(arg) > 2:
            return arg[2:]
    return "sync"


@contextmanager
def deployed_gunicorn(t: TaskCheck, command, env=None, *, hint=None):
    """Run the learner's gunicorn command (in ``.venv-deploy``, in ``apps/chat``) for a ``with`` block.

    The check adds ``-b 127.0.0.1:<free port>``. Fails, in the learner's terms, when the
    command is not a gunicorn command, binds an address itself, runs several workers (no
    sticky sessions), does not start, or serves the app in an async mode its worker does not
    run (gevent's inside a threaded worker, or the reverse).

    :param command: e.g. ``"gunicorn -w 1 --threads 100 app:app"``.
    :param env: environment variables for the app, e.g. ``{"CHAT_ASYNC_MODE": "threading"}``.
    :returns: (as the ``with`` target) the :class:`server.deploy.GunicornHandle`, stopped after.
    :raises CheckFailed: as above.
    """
    import shlex

    import requests

    from .deploy import DeployEnvMissing, start_gunicorn

    if not isinstance(command, str):
        t.fail("the command must be a string", got=f"a {type(command).__name__}", hint=hint)
    args = shlex.split(command)
    if not args or args[0] != "gunicorn" or len(args) < 2 or ":" not in args[-1]:
        t.fail("that is not a gunicorn command for the chat", got=repr(command),
               expected="gunicorn OPTIONS app:app", hint=hint)
    if any(a in ("-b", "--bind") or a.startswith("--bind=") for a in args):
        t.fail("the command chooses its own address", got=repr(command),
               expected="no -b/--bind: the check binds 127.0.0.1 and a free port itself",
               hint=hint)
    workers = _workers(args[1:-1])
    if workers != 1:
        t.fail(f"the command runs {workers or 'an unreadable number of'} worker processes",
               got=repr(command), expected="-w 1: gunicorn has no sticky sessions, so with "
               "several workers long-polling requests reach the wrong one and get "
               "400 \"Invalid session\"", hint=hint)
    if env is not None and not isinstance(env, dict):
        t.fail("the environment must be a dict", got=f"a {type(env).__name__}", hint=hint)
    try:
        server = start_gunicorn(*args[1:-1], app=args[-1], env=env or {},
                                name=f"check gunicorn task {t.number}",
                                key=f"check:gunicorn-{t.number}")
    except DeployEnvMissing as exc:
        t.fail("the production environment .venv-deploy is missing",
               got=str(exc).splitlines()[0], expected="run `make venv`")
    except ProcessError as exc:
        t.fail("gunicorn did not start", tried=command, got=last_lines(str(exc)), hint=hint)
    try:
        mode = requests.get(server.url + "/health", timeout=5).json()["async_mode"]
        worker = _worker_class(args[1:-1])
        wanted = "gevent" if "gevent" in worker else "threading"
        if mode != wanted:
            t.fail(f"the app runs in {mode} mode inside gunicorn's {worker!r} worker",
                   tried=f"GET /health of `{command}` with env {env or {}}",
                   got=f"async_mode {mode!r}", expected=f"async_mode {wanted!r}: set "
                   "CHAT_ASYNC_MODE, or pick the worker that matches", hint=hint)
        yield server
    finally:
        server.stop()


def check_two_clients(t: TaskCheck, url: str, *, hint=None) -> None:
    """Fail unless two clients can be connected to ``url`` at the same time.

    A gunicorn ``sync`` worker (``gunicorn -w 1 app:app``, no ``--threads``) serves one
    request at a time: the first WebSocket holds it, and the second client gets no answer.

    :param t: the running check (:class:`TaskCheck`), whose clients it closes.
    :param url: the server's (or proxy's) address.
    :param hint: the hint number to point the learner at when it fails.
    :raises CheckFailed: if either client cannot connect within the check's timeout (2 s at least).
    """
    first = t.client("first", connect=False)
    second = t.client("second", connect=False)
    wait = max(2.0, default_timeout())
    for name, client in (("first", first), ("second", second)):
        try:
            client.connect(url, transports=["websocket"], wait_timeout=wait)
        except socketio.exceptions.ConnectionError as exc:
            t.fail(f"the {name} client could not connect while the other one was connected",
                   tried="two WebSocket clients connected at the same time",
                   got=str(exc) or type(exc).__name__,
                   expected="both connected: a worker that serves one connection at a time "
                            "is blocked by the first WebSocket (use --threads 100, or gevent)",
                   hint=hint)


def check_client_hears(t: TaskCheck, join, url: str, ca, *, hint=None) -> None:
    """Fail unless ``join(url, session)`` returns a client on WebSocket whose list hears the lobby.

    :param t: the running check (:class:`TaskCheck`), whose clients it closes.
    :param join: the learner's function: ``join(url, session) -> (client, heard)``.
    :param url: the proxy's ``https://`` address.
    :param ca: the CA file the session trusts.
    :param hint: the hint number to point the learner at when it fails.
    :raises CheckFailed: if the client is not connected, not on WebSocket, or its list stays
        without the message another client said.
    """
    from .tls import trusting_session

    got = join(url, trusting_session(ca))
    if not (isinstance(got, tuple) and len(got) == 2):
        t.fail("join_chat() must return (client, heard)", got=repr(got), hint=hint)
    client, heard = got
    if isinstance(client, socketio.Client):
        t._clients.append(client)
    t.true(isinstance(client, socketio.Client) and client.connected,
           "join_chat() did not return a connected client", got=repr(client), hint=hint)
    t.equal(client.transport(), "websocket", "your client's transport",
            tried="join_chat() through nginx over https://", hint=hint)
    # The kit's own speaker uses long-polling: the threaded Client over wss:// reads and
    # writes one SSL socket from two threads, and a write right after a read (this call,
    # just after the CONNECT ack) now and then drops the connection with the ack unread
    # (python-socketio #1568, python-engineio #461; appendix 10a, bench_wss_client.py).
    # Over https:// long-polling, each request has a connection of its own.
    speaker = socketio.Client(http_session=trusting_session(ca), reconnection=False)
    t._clients.append(speaker)
    speaker.connect(url, auth={"user": "bob"}, transports=["polling"],
                    wait_timeout=max(2.0, default_timeout()))
    try:
        speaker.call("say", "hello over TLS", timeout=15)
    except socketio.exceptions.TimeoutError:
        t.fail("the chat server did not acknowledge bob's 'say' within 15 s", hint=hint,
               tried="bob said 'hello over TLS' through the proxy (long-polling)",
               expected="the chat app behind your locations to answer")
    deadline = time.monotonic() + default_timeout()
    while "hello over TLS" not in heard and time.monotonic() < deadline:
        time.sleep(0.01)
    t.true("hello over TLS" in heard, "your said handler did not collect the message",
           tried="bob said 'hello over TLS' in the lobby", got=repr(heard),
           expected="['hello over TLS'] (its text, appended to the list you returned)",
           hint=hint)


def check_browser_connects(t: TaskCheck, url: str, *, spki: str | None = None,
                           hint=None) -> None:
    """Fail unless headless Chromium loads ``url`` (the chat page) and connects over WebSocket.

    :param t: the running check (:class:`TaskCheck`).
    :param url: the chat page's ``https://`` (or ``http://``) address.
    :param spki: the server key's hash, to trust the lesson's certificate (see
        :mod:`server.page_probe`).
    :param hint: the hint number to point the learner at when it fails.
    :raises CheckFailed: if Chromium is missing, the page does not load, or its connection
        is refused or stays on long-polling.
    """
    from .page_probe import BrowserMissing, probe_pages

    try:
        (page,) = probe_pages([url], spki=spki)
    except BrowserMissing as exc:
        t.fail("this check needs headless Chromium", got=str(exc))
    if page["status"] != "connected over websocket":
        t.fail("the browser did not connect over WebSocket", tried=f"Chromium loaded {url}",
               got=page["status"] + (f" ({'; '.join(page['errors'][:2])})" if page["errors"] else ""),
               expected="connected over websocket (over https://, the page's Origin is "
                        "https://...: nginx must send X-Forwarded-Proto and X-Forwarded-Host)",
               hint=hint)
