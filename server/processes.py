"""Start helper processes (a Redis server, Flask-SocketIO servers, workers) and stop them again.

Scaling out needs real processes: several Flask-SocketIO servers sharing a message queue
("Using Multiple Workers",
https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-multiple-workers) and
workers that emit without an app ("Emitting from an External Process",
https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
Each ``SocketIO(message_queue=...)`` owns a listener thread and a Redis connection that cannot
be stopped, so servers and emitters run in their own processes, never in the kernel.

The programs themselves have small modules of their own, built on this one:
:mod:`server.redis_server` (:func:`start_redis`, whose names are re-exported here),
:mod:`server.nginx`, :mod:`server.deploy` (gunicorn) and :mod:`server.celery_worker`.

What the kit adds on top of :mod:`subprocess`, and why:

- a registry on disk, keyed like :func:`server.start_server` (the calling cell, plus the
  process name), so running a cell twice stops what the first run started, even when that
  run was in a kernel that has since been restarted or has crashed. A record holds the pid
  and the process creation time, and :mod:`psutil` checks both before anything is killed,
  so a recycled pid never is. It also names the kernel that started the process: while that
  kernel still runs, its processes are its own, and no other kernel stops them (an exercise
  and its solution open side by side, or two test workers, each keep theirs);
- :func:`cleanup`, for a notebook's teardown cell and for "clean up what an earlier run left";
- output captured to a log file (:meth:`ProcessHandle.output`), never printed into a cell;
- bounded readiness waits that fail with the tail of the process's output;
- processes start in their own session: Jupyter sends an interrupt to the kernel's whole
  process group, and it must not reach them. On Linux they also get ``PR_SET_PDEATHSIG``
  (set by a tiny bootstrap in the child, then ``exec``), so they receive SIGTERM if the
  kernel dies; elsewhere a kernel that crashes leaves them to :func:`cleanup`.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from .runner import PortInUseError, _caller_key

__all__ = [
    "ProcessError",
    "ProcessHandle",
    "RedisHandle",
    "RedisNotFound",
    "cleanup",
    "find_redis",
    "free_port",
    "running_processes",
    "scratch_dir",
    "start_process",
    "start_redis",
]

HOST = "127.0.0.1"
_TAIL_LINES = 20  # lines of output quoted in error messages
_KEEP_CHARS = 1_000_000  # output kept in memory once a stopped process's log is removed
_MAX_POLLS = 100_000  # an upper bound on every polling loop, on top of its deadline
_MAX_DELAY = 0.05  # longest pause between two polls, in seconds

# Runs in the child before the real program: ask Linux to send SIGTERM when the parent (the
# kernel) dies, give up if it already died, then exec the program (the setting survives exec).
# Doing this in the child avoids preexec_fn, which is unsafe in a process with threads.
_PDEATHSIG_BOOTSTRAP = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM)\n"  # 1 = PR_SET_PDEATHSIG
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(70)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)

_handles: dict[str, "ProcessHandle"] = {}
_lock = threading.RLock()
_OWNER_PID = os.getpid()


class ProcessError(RuntimeError):
    """A process started by the kit exited early, never became ready, or would not stop."""


# -- the registry on disk ---------------------------------------------------------------
def find_program(name: str, variable: str, error: type[Exception], howto: str,
                 extra_dirs: tuple[str, ...] = ()) -> str:
    """Find the system program ``name`` (``redis-server``, ``nginx``...) the kit starts.

    :param name: the program's file name.
    :param variable: the environment variable that overrides the search (``REDIS_SERVER``).
    :param error: the exception to raise when it is missing.
    :param howto: how to install it, appended to the error message.
    :param extra_dirs: folders searched after ``PATH`` (``/usr/sbin``...); the folder of this
        Python always comes last (a conda environment's ``bin``, even if ``PATH`` misses it).
    :returns: the executable's path.
    :raises error: if ``$variable`` names no executable, or none is found.
    """
    configured = os.environ.get(variable)
    if configured:
        found = shutil.which(configured)
        if found:
            return found
        raise error(f"{variable} is set to {configured!r}, which is not an executable "
                    f"program.\n{howto}")
    path = os.pathsep.join([os.environ.get("PATH", ""), *extra_dirs,
                            os.path.dirname(sys.executable)])
    found = shutil.which(name, path=path)
    if found:
        return found
    raise error(f"{name} was not found on PATH.\n{howto}")


def _state_dir(*parts: str) -> Path:
    """Where records, logs and Redis working directories live (``FSL_STATE_DIR`` overrides).

    One directory per user, so that several learners on one machine never share it.
    """
    root = os.environ.get("FSL_STATE_DIR")
    if not root:
        user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        root = os.path.join(tempfile.gettempdir(), f"flask-socketio-lab-{user}")
    path = Path(root, *parts)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _record_path(key: str, owner: int | None = None) -> Path:
    """This kernel's record for ``key`` (one file per key and kernel)."""
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return _state_dir("procs") / f"{digest}-{owner or os.getpid()}.json"


def _own_create_time() -> float:
    return psutil.Process().create_time()


def _owned_by_another_live_kernel(record: dict) -> bool:
    """True if the process was started by another kernel (process) that still runs.

    The owner is identified by pid and creation time, as processes are, so a recycled
    owner pid does not count as alive. Records without an owner count as abandoned.
    """
    owner = record.get("owner")
    if not isinstance(owner, int) or owner == os.getpid():
        return False
    try:
        proc = psutil.Process(owner)
        created = record.get("owner_create_time")
        if created is not None and abs(proc.create_time() - float(created)) > 0.05:
            return False
        return proc.status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, TypeError, ValueError):
        return False


def _write_record(handle: "ProcessHandle") -> None:
    record = {
        "key": handle.key, "name": handle.name, "tag": handle.tag, "pid": handle.pid,
        "create_time": handle.create_time, "owner": os.getpid(),
        "owner_create_time": _own_create_time(), "started": handle.started,
        "log": str(handle.log_path), "files": [str(f) for f in handle._files],
    }
    path = _record_path(handle.key)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, path)  # atomic: another kernel never reads half a record


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text())
        record["_path"] = str(path)
        return record if isinstance(record.get("pid"), int) else None
    except (OSError, ValueError, AttributeError):
        return None


def _records() -> list[dict]:
    found = (_read_record(p) for p in sorted(_state_dir("procs").glob("*.json")))
    return [r for r in found if r is not None]


def _same_process(record: dict) -> psutil.Process | None:
    """The recorded process if it still runs: same pid *and* same creation time."""
    try:
        proc = psutil.Process(record["pid"])
        if abs(proc.create_time() - float(record["create_time"])) > 0.05:
            return None  # the pid was recycled by an unrelated process
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return proc
    except (psutil.Error, KeyError, TypeError, ValueError):
        return None


def _remove_files(paths) -> None:
    for path in paths:
        if path and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif path:
            try:
                os.unlink(path)
            except OSError:
                pass


def _stop_record(record: dict, timeout: float) -> bool:
    """Stop a recorded process started by another kernel (or lost by this one).

    :returns: ``True`` if it was still running and has been stopped.
    """
    proc = _same_process(record)
    if proc is not None and not _terminate(proc, timeout):
        raise ProcessError(
            f"could not stop {record.get('name')!r} (pid {record['pid']}) within {timeout} s"
        )
    if proc is not None and record.get("owner") == os.getpid():
        try:  # our own child whose Popen object was lost: reap it
            os.waitpid(record["pid"], os.WNOHANG)
        except (ChildProcessError, OSError):
            pass
    _remove_files([record.get("log"), *record.get("files", []), record["_path"]])
    return proc is not None


# -- stopping and waiting ---------------------------------------------------------------
def _gone(proc: psutil.Process, popen: subprocess.Popen | None = None) -> bool:
    if popen is not None and proc.pid == popen.pid:
        return popen.poll() is not None  # also reaps our own child
    try:  # a killed orphan stays a zombie until init reaps it (about a second here)
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def _wait_gone(procs, deadline: float, popen=None) -> list:
    delay = 0.001
    left = list(procs)
    for _ in range(_MAX_POLLS):
        left = [p for p in left if not _gone(p, popen)]
        remaining = deadline - time.monotonic()
        if not left or remaining <= 0:
            break
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, _MAX_DELAY)
    return left


def _terminate(proc: psutil.Process, timeout: float, popen=None) -> bool:
    """SIGTERM a process and its descendants, SIGKILL what is left after 70% of ``timeout``.

    :returns: ``True`` if all of them are gone.
    """
    start = time.monotonic()
    try:
        family = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        family = [proc]
    for sig, share in ((signal.SIGTERM, 0.7), (getattr(signal, "SIGKILL", signal.SIGTERM), 1.0)):
        for p in family:
            try:
                p.send_signal(sig)  # psutil checks that the pid is still the same process
            except psutil.Error:
                pass
        family = _wait_gone(family, start + timeout * share, popen)
        if not family:
            return True
    return False


def _accepts(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now.

    Another program could take it before you use it; the window is tiny on a laptop, and
    the process using the port then fails with a clear error.

    :returns: the port number.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# -- handles ----------------------------------------------------------------------------
class ProcessHandle:
    """A process started by :func:`start_process` (or :func:`start_redis`).

    :ivar name: the label given at start, used in messages and by :func:`cleanup`.
    :ivar key: the registry key: starting again with the same key stops this process first.
    :ivar tag: the tag given at start (``""`` if none): ``cleanup(tag)`` stops only these.
    :ivar pid: the process id.
    :ivar args: the full command line.
    :ivar port: the ``ready_port``, the ``port`` group of a ``ready_text`` pattern, or ``None``.
    :ivar ready_match: the :class:`re.Match` of a ``ready_text`` pattern, else ``None``.
    :ivar log_path: the file its stdout and stderr go to (removed when it is stopped).

    Usable as a context manager: ``with start_process(...) as proc: ...`` stops on exit.
    """

    def __init__(self, popen: subprocess.Popen, *, name: str, key: str, tag: str,
                 args: list[str], log_path: Path, files=()):
        self.name = name
        self.key = key
        self.tag = tag
        self.pid: int = popen.pid
        self.args = list(args)
        self.port: int | None = None
        self.ready_match: re.Match | None = None
        self.log_path = Path(log_path)
        self.started = time.time()
        self._popen = popen
        self._files = list(files)
        self._kept_output: str | None = None
        self._stop_lock = threading.Lock()
        try:
            self.create_time = psutil.Process(self.pid).create_time()
        except psutil.Error:
            self.create_time = 0.0

    @property
    def returncode(self) -> int | None:
        """The exit code, or ``None`` while the process runs (negative: killed by a signal)."""
        return self._popen.poll()

    @property
    def running(self) -> bool:
        """``True`` while the process runs."""
        return self._popen.poll() is None

    def output(self, tail: int | None = None) -> str:
        """What the process wrote to stdout and stderr so far.

        :param tail: only the last ``tail`` lines; ``None`` (default) for everything.
        :returns: the text (undecodable bytes replaced).
        """
        text = self._kept_output if self._kept_output is not None else _read_log(self.log_path)
        if tail is not None:
            text = "\n".join(text.splitlines()[-tail:]) if tail > 0 else ""
        return text

    def wait(self, timeout: float = 10.0) -> int:
        """Wait for the process to exit by itself (a worker that emits, then ends).

        :param timeout: maximum time to wait, in seconds (default 10.0).
        :returns: its exit code.
        :raises ProcessError: if it is still running after ``timeout`` seconds (it is left
            running: call :meth:`stop`).
        """
        try:
            code = self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise ProcessError(
                f"{self.name!r} (pid {self.pid}) is still running after {timeout} s.\n"
                + self._tail_text()
            ) from None
        self.stop()
        return code

    def stop(self, timeout: float = 5.0) -> int | None:
        """Stop the process and its children: SIGTERM, then SIGKILL after 70% of ``timeout``.

        Then remove its registry record and log file (:meth:`output` still works). Calling
        it again, or on a process that already exited, does nothing more.

        :param timeout: upper bound, in seconds (default 5.0).
        :returns: the exit code (negative: the signal that ended it).
        :raises ProcessError: if the process is still alive after ``timeout`` seconds.
        """
        with self._stop_lock:
            if self._popen.poll() is None:
                self._before_terminate()
                if not _terminate(psutil.Process(self.pid), timeout, self._popen):
                    raise ProcessError(
                        f"could not stop {self.name!r} (pid {self.pid}) within {timeout} s"
                    )
            self._forget()
            return self._popen.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited ({self.returncode})"
        return f"<{type(self).__name__} {self.name!r} pid {self.pid} {state}>"

    # -- internals ------------------------------------------------------------------------
    def _before_terminate(self) -> None:
        """A gentler stop to try first (see :class:`RedisHandle`)."""

    def _forget(self) -> None:
        if self._kept_output is None:
            self._kept_output = _read_log(self.log_path)[-_KEEP_CHARS:]
        record = _read_record(_record_path(self.key))
        if record is not None and record.get("pid") == self.pid:
            _remove_files([record["_path"]])
        _remove_files([str(self.log_path), *map(str, self._files)])
        with _lock:
            if _handles.get(self.key) is self:
                del _handles[self.key]

    def _tail_text(self) -> str:
        tail = self.output(tail=_TAIL_LINES).strip()
        if not tail:
            return "It printed nothing."
        return f"The last lines it printed:\n{tail}"


def _read_log(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


# -- starting ---------------------------------------------------------------------------
def _replace(key: str, timeout: float) -> None:
    """Stop whatever was started with ``key`` before, here or in a kernel that has ended."""
    with _lock:
        old = _handles.get(key)
    if old is not None:
        old.stop(timeout)
    for record in _records():
        if record.get("key") == key and not _owned_by_another_live_kernel(record):
            _stop_record(record, timeout)


def _start(argv: list[str], *, name: str, key: str, tag: str | None, env, cwd,
           timeout: float, die_with_parent: bool, ready_port=None, ready_text=None,
           ready_check=None, port=None, files=(), cls=ProcessHandle) -> ProcessHandle:
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")
    full_env = dict(os.environ, PYTHONUNBUFFERED="1")  # so ready lines arrive at once
    full_env.update({str(k): str(v) for k, v in (env or {}).items()})
    command = list(argv)
    if die_with_parent and sys.platform.startswith("linux") \
            and threading.current_thread() is threading.main_thread():
        # PDEATHSIG fires when the *thread* that started the child ends: only the main
        # thread lives as long as the kernel.
        command = [sys.executable, "-I", "-S", "-c", _PDEATHSIG_BOOTSTRAP, str(os.getpid()),
                   *command]
    fd, log_path = tempfile.mkstemp(prefix=re.sub(r"\W+", "_", name) + "-", suffix=".log",
                                    dir=_state_dir("logs"))
    try:
        with os.fdopen(fd, "wb") as log:
            popen = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=full_env, cwd=cwd, start_new_session=(os.name == "posix"),
            )
    except BaseException:
        _remove_files([log_path, *files])
        raise
    handle = cls(popen, name=name, key=key, tag=tag or "", args=argv, log_path=Path(log_path),
                 files=files)
    handle.port = port if port is not None else ready_port
    with _lock:
        _handles[key] = handle
    _write_record(handle)
    try:
        _wait_ready(handle, timeout, ready_port, ready_text, ready_check)
    except BaseException:  # not ready, exited, or the cell was interrupted
        handle.stop()
        raise
    return handle


def _wait_ready(handle: ProcessHandle, timeout: float, ready_port, ready_text, ready_check):
    if ready_port is None and ready_text is None and ready_check is None:
        return
    pattern = ready_text if isinstance(ready_text, re.Pattern) else (
        re.compile(re.escape(ready_text)) if ready_text is not None else None
    )
    deadline = time.monotonic() + timeout
    delay = 0.002
    for _ in range(_MAX_POLLS):
        if pattern is not None and handle.ready_match is None:
            handle.ready_match = pattern.search(handle.output())
            if handle.ready_match is not None and "port" in pattern.groupindex:
                handle.port = int(handle.ready_match["port"])
        if ((pattern is None or handle.ready_match is not None)
                and (ready_port is None or _accepts(ready_port))
                and (ready_check is None or ready_check())):
            return
        if handle.returncode is not None:
            raise ProcessError(
                f"{handle.name!r} exited with code {handle.returncode} before it was ready.\n"
                + handle._tail_text()
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, _MAX_DELAY)
    waited_for = " and ".join(
        w for w in (
            f"a connection on port {ready_port}" if ready_port is not None else "",
            "" if pattern is None else f"output containing {ready_text!r}"
            if isinstance(ready_text, str) else f"output matching {pattern.pattern!r}",
            "an answer to PING" if ready_check is not None else "",
        ) if w
    )
    raise ProcessError(
        f"{handle.name!r} (pid {handle.pid}) was not ready within {timeout} s "
        f"(waited for {waited_for}); it has been stopped.\n" + handle._tail_text()
    )


def start_process(args, *, name: str, ready_port: int | None = None,
                  ready_text: str | re.Pattern | None = None, env: dict | None = None,
                  cwd: str | os.PathLike | None = None, timeout: float = 10.0,
                  key: str | None = None, tag: str | None = None,
                  die_with_parent: bool = True,
                  executable: str | os.PathLike | None = None) -> ProcessHandle:
    """Run a Python script or module in a new process (this interpreter) and wait until ready.

    Use it for a second Flask-SocketIO server sharing a message queue
    (https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-multiple-workers)
    or for a worker that emits through it
    (https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
    Its stdout and stderr go to a log file, read with :meth:`ProcessHandle.output`, never
    into the notebook. Starting again with the same ``key`` (by default: from the same cell,
    with the same ``name``) first stops the process started before, even by an earlier kernel
    that has since been restarted or has crashed; a kernel that still runs keeps its own.

    :param args: the arguments after ``python``: ``["app.py", "--port", "5001"]``, or
        ``["-m", "package.module"]``; a single string is one argument (a script path).
    :param name: a label for messages, :func:`cleanup` and the registry, e.g. ``"server-a"``.
    :param ready_port: ready once 127.0.0.1:``ready_port`` accepts TCP connections.
    :param ready_text: ready once the output contains this text; a compiled :mod:`re`
        pattern is searched instead, and its named group ``port``, if any, sets ``.port``.
    :param env: extra environment variables, added to this process's environment
        (``PYTHONUNBUFFERED=1`` is always set, so printed lines arrive at once).
    :param cwd: working directory; default: the current one.
    :param timeout: maximum wait for readiness, in seconds (default 10.0).
    :param key: registry key; default: the calling cell (or file and line) plus ``name``.
    :param tag: a label shared by related processes, e.g. the notebook's name, so that
        ``cleanup(tag)`` stops only those.
    :param die_with_parent: on Linux, SIGTERM the process when this one dies (a crashed
        kernel). Elsewhere, or when called from another thread than the main one, has no
        effect: :func:`cleanup` then stops what a dead kernel left.
    :param executable: the program to run ``args`` with instead of this Python: another
        environment's interpreter (``".venv-deploy/bin/python"``) or any program
        (``"nginx"``), looked up on ``PATH`` if it has no ``/``.
    :returns: a :class:`ProcessHandle` (ready, if ``ready_port`` or ``ready_text`` was given).
    :raises PortInUseError: if something already accepts connections on ``ready_port``.
    :raises ProcessError: if the process exits before it is ready, or is not ready within
        ``timeout``; the message ends with the last lines it printed. It is stopped.
    :raises ValueError: if ``args`` is empty or ``timeout`` is not positive.
    :raises FileNotFoundError: if ``executable`` is given and cannot be found.

    Example::

        server_b = start_process(["mq_app.py", "--queue", redis.url, "--port", str(port)],
                                 name="server-b", ready_port=port)
        ...
        server_b.stop()
    """
    if isinstance(args, (str, os.PathLike)):
        args = [args]
    argv = [os.fspath(a) for a in args]
    if not argv:
        raise ValueError("args is empty: pass the script to run, e.g. ['app.py']")
    key = key or f"{_caller_key()}#{name}"
    _replace(key, timeout=5.0)
    if ready_port is not None and _accepts(ready_port):
        raise PortInUseError(
            f"something already accepts connections on {HOST}:{ready_port}, so {name!r} could "
            "not be told apart from it: stop it (cleanup() stops what the kit started), or "
            "use another port (free_port() gives one)."
        )
    program = sys.executable
    if executable is not None:
        program = shutil.which(os.fspath(executable))
        if program is None:
            raise FileNotFoundError(f"{os.fspath(executable)!r} is not an executable program")
        program = os.path.abspath(program)
    return _start([program, *argv], name=name, key=key, tag=tag, env=env, cwd=cwd,
                  timeout=timeout, die_with_parent=die_with_parent, ready_port=ready_port,
                  ready_text=ready_text)


# -- looking around and cleaning up -----------------------------------------------------
def running_processes() -> list[ProcessHandle]:
    """The processes this kernel started and that still run, oldest first.

    :returns: a list of :class:`ProcessHandle` (and :class:`RedisHandle`).
    """
    with _lock:
        handles = list(_handles.values())
    return sorted((h for h in handles if h.running), key=lambda h: h.started)


def scratch_dir(tag: str) -> Path:
    """A fresh, empty folder for a notebook's configs and logs; earlier ones of ``tag`` go.

    Removes the folders this function made for ``tag`` before, in this kernel (a re-run) or in
    a kernel that has ended (a restart, or a kernel that was killed, whose exit handlers never
    ran), but not those of another live kernel; the new folder is removed when this kernel
    exits normally. Call :func:`cleanup` with the same tag first, so that no process still
    works in an old folder.

    :param tag: a short name, letters, digits, ``-`` and ``_`` only (e.g. ``"10_deploying"``).
    :returns: the new folder, private to this user (mode 0700), under the kit's state
        directory (``FSL_STATE_DIR`` overrides where that is).
    :raises ValueError: if ``tag`` has other characters.
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", tag):
        raise ValueError(f"scratch_dir tag {tag!r}: use letters, digits, '-' and '_' only")
    parent = _state_dir("scratch")
    for old in parent.glob(f"{tag}-*-*"):
        try:
            owner = int(old.name[len(tag) + 1:].split("-", 1)[0])
        except ValueError:
            continue
        if owner == os.getpid() or not psutil.pid_exists(owner):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{tag}-{os.getpid()}-", dir=parent))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def cleanup(tag: str | None = None, timeout: float = 5.0) -> list[str]:
    """Stop every process the kit started, in this kernel or in an earlier one that has ended.

    Meant for a notebook's last cell, and for a first cell that clears what an earlier run,
    or a crashed kernel, left behind. Processes of another kernel that still runs are left
    alone: they are that kernel's to stop (and die with it). Newest first, so servers stop before the Redis they
    use (a Flask-SocketIO server whose Redis vanished retries, and logs it, forever).
    A recorded pid is only signalled if its creation time matches the record.

    :param tag: only processes started with this tag; ``None`` (default) for all.
    :param timeout: upper bound per process, in seconds (default 5.0).
    :returns: the names of the processes that were running and were stopped, sorted.
    :raises ProcessError: if one of them could not be stopped.
    """
    stopped: list[str] = []
    records = sorted(_records(), key=lambda r: r.get("started", 0), reverse=True)
    for record in records:
        if tag is not None and record.get("tag") != tag:
            continue
        if _owned_by_another_live_kernel(record):
            continue
        with _lock:
            handle = _handles.get(record.get("key"))
        if handle is not None and handle.pid == record["pid"]:
            if handle.running:
                stopped.append(handle.name)
            handle.stop(timeout)
        elif _stop_record(record, timeout):
            stopped.append(str(record.get("name")))
    with _lock:  # handles whose record vanished (someone emptied the state directory)
        rest = [h for h in _handles.values() if tag is None or h.tag == tag]
    for handle in sorted(rest, key=lambda h: h.started, reverse=True):
        if handle.running:
            stopped.append(handle.name)
        handle.stop(timeout)
    return sorted(stopped)


@atexit.register
def _stop_at_exit() -> None:
    # A kernel that shuts down or restarts normally stops what it started (forked children
    # inherit this hook, hence the pid check).
    if os.getpid() != _OWNER_PID:
        return
    with _lock:
        handles = sorted(_handles.values(), key=lambda h: h.started, reverse=True)
    for handle in handles:
        try:
            handle.stop(2.0)
        except Exception:
            pass


# The Redis part lives in server/redis_server.py; its names stay importable from here.
from .redis_server import (  # noqa: E402  (after everything it imports from this module)
    REDIS_HOWTO,
    RedisHandle,
    RedisNotFound,
    find_redis,
    start_redis,
)
