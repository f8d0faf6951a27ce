"""A private Redis server for the notebooks: the message queue several processes share.

Split out of :mod:`server.processes` (which still exports every name below): Flask-SocketIO
servers in several processes share a Redis as their message queue ("Using Multiple Workers",
https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-multiple-workers), and so
can an external process that emits ("Emitting from an External Process",
https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
:func:`start_redis` runs one through :mod:`server.processes` (registry, readiness wait,
clean-up on re-run).
"""

from __future__ import annotations

import tempfile
import time

from .processes import (
    _MAX_DELAY,
    _MAX_POLLS,
    HOST,
    PortInUseError,
    ProcessError,
    ProcessHandle,
    _accepts,
    _caller_key,
    _replace,
    _start,
    _state_dir,
    find_program,
    free_port,
)

__all__ = ["REDIS_HOWTO", "RedisHandle", "RedisNotFound", "find_redis", "start_redis"]

REDIS_HOWTO = """\
The kit needs the `redis-server` program (the `redis` Python package is only the client).
Install it, then run this cell again:
  - conda / Binder: it comes with the kit's environment.yml; in another conda environment,
    run `conda install -c conda-forge redis-server`
  - Debian / Ubuntu: `sudo apt-get install redis-server`
  - macOS (Homebrew): `brew install redis`
  - or set the REDIS_SERVER environment variable to the path of a redis-server executable.
Note: `pip install redis-server` does not work here: that PyPI package has no wheels for
Python 3.11."""


class RedisNotFound(ProcessError):
    """No ``redis-server`` program was found; the message says how to install one."""


class RedisHandle(ProcessHandle):
    """A Redis server started by :func:`start_redis`.

    :ivar url: the URL to pass as ``message_queue``, e.g. ``"redis://127.0.0.1:54321"``.
    :ivar port: its TCP port on 127.0.0.1.
    :ivar pid: the ``redis-server`` process id.
    """

    @property
    def url(self) -> str:
        """The URL for ``SocketIO(app, message_queue=url)``."""
        return f"redis://{HOST}:{self.port}"

    def stop(self, timeout: float = 5.0) -> int | None:
        """Stop the server (``SHUTDOWN NOSAVE``, else SIGTERM, then SIGKILL) and free the port.

        :param timeout: upper bound, in seconds (default 5.0).
        :returns: the exit code.
        :raises ProcessError: if the server is still alive after ``timeout`` seconds.
        """
        return super().stop(timeout)

    def wait_subscribers(self, count: int, channel: str = "flask-socketio",
                         timeout: float = 5.0) -> int:
        """Wait until ``count`` processes listen on the message queue's ``channel``.

        A Flask-SocketIO server subscribes when its *first client connects* (not when it
        starts), from a background thread; Redis drops what is published to a channel
        nobody listens to. So after connecting a client to each server, wait for them here
        before emitting, or the first broadcast may reach only some of them.

        :param count: how many subscribers to wait for (one per server process).
        :param channel: the channel; ``"flask-socketio"`` is Flask-SocketIO's default
            (``SocketIO(..., channel=...)`` changes it).
        :param timeout: maximum wait, in seconds (default 5.0).
        :returns: the number of subscribers (at least ``count``).
        :raises ProcessError: if fewer than ``count`` subscribed within ``timeout``.
        """
        import redis

        deadline = time.monotonic() + timeout
        delay = 0.001
        have = 0
        client = _redis_client(self.port)
        try:
            for _ in range(_MAX_POLLS):
                try:
                    have = dict(client.pubsub_numsub(channel)).get(channel.encode(), 0)
                except redis.exceptions.RedisError:
                    have = 0
                remaining = deadline - time.monotonic()
                if have >= count or remaining <= 0 or not self.running:
                    break
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, _MAX_DELAY)
        finally:
            client.close()
        if have < count:
            raise ProcessError(
                f"{have} of {count} subscriber(s) listen on channel {channel!r} of {self.url} "
                f"after {timeout} s. A Flask-SocketIO server subscribes when its first client "
                "connects: connect a client to each server first."
            )
        return have

    def _before_terminate(self) -> None:
        # SHUTDOWN NOSAVE ends it in ~3 ms; SIGTERM waits for Redis' next cron tick (~100 ms).
        import redis

        client = _redis_client(self.port)
        try:
            client.shutdown(nosave=True)
        except redis.exceptions.RedisError:
            pass  # SIGTERM follows
        finally:
            client.close()

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited ({self.returncode})"
        return f"<RedisHandle {self.url} pid {self.pid} {state}>"


def find_redis() -> str:
    """The ``redis-server`` to run: ``$REDIS_SERVER``, else ``redis-server`` on ``PATH`` or
    next to this Python (a conda environment's ``bin``, even if ``PATH`` misses it).

    :returns: the executable's path.
    :raises RedisNotFound: if there is none; the message says how to install it.
    """
    return find_program("redis-server", "REDIS_SERVER", RedisNotFound, REDIS_HOWTO)


def _redis_client(port: int):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # No retries: the callers poll, and redis-py's default retries (10, with backoff)
    # would multiply each wait.
    return redis.Redis(host=HOST, port=port, socket_connect_timeout=0.25, socket_timeout=0.5,
                       retry=Retry(NoBackoff(), 0))


def _redis_answers(port: int) -> bool:
    import redis

    client = _redis_client(port)
    try:
        return bool(client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        client.close()


def start_redis(port: int = 0, key: str | None = None, *, name: str = "redis",
                tag: str | None = None, timeout: float = 10.0,
                die_with_parent: bool = True) -> RedisHandle:
    """Start a private Redis server on 127.0.0.1 and wait until it answers ``PING``.

    Flask-SocketIO servers in several processes share it as their message queue
    (https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-multiple-workers),
    and so can an external process that emits
    (https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
    It never writes to disk (``--save "" --appendonly no``), keeps protected mode on, works
    in its own temporary directory, and never touches a Redis the system may run on 6379.
    Starting again with the same ``key`` (by default: from the same cell) first stops the
    server started before, even by an earlier kernel that has since ended.

    :param port: TCP port; ``0`` (default) picks a free one (Redis cannot bind port 0
        itself, so a free port is chosen and, should another program take it first, another
        one is tried, 3 times at most).
    :param key: registry key; default: the calling cell (or file and line) plus ``name``.
    :param name: a label for messages and :func:`cleanup` (default ``"redis"``).
    :param tag: a label shared by related processes (see :func:`start_process`).
    :param timeout: maximum wait until it answers, in seconds (default 10.0).
    :param die_with_parent: on Linux, stop it when this process dies (see
        :func:`start_process`).
    :returns: a :class:`RedisHandle` (``.url``, ``.port``, ``.pid``, ``.stop()``).
    :raises RedisNotFound: if no ``redis-server`` is installed; the message says how to get one.
    :raises PortInUseError: if ``port`` is given and already in use.
    :raises ProcessError: if the server exits early or does not answer within ``timeout``.

    Example::

        redis = start_redis()
        socketio = SocketIO(app, async_mode="threading", message_queue=redis.url)
        ...
        redis.stop()
    """
    binary = find_redis()
    key = key or f"{_caller_key()}#{name}"
    _replace(key, timeout=5.0)
    if port and _accepts(port):
        raise PortInUseError(
            f"cannot start Redis on {HOST}:{port}: the port is in use. Pass port=0 (the "
            "default) to get a free one."
        )
    for attempt in range(1 if port else 3):
        chosen = port or free_port()
        workdir = tempfile.mkdtemp(prefix="redis-", dir=_state_dir("redis"))
        argv = [binary, "--port", str(chosen), "--bind", HOST, "--protected-mode", "yes",
                "--save", "", "--appendonly", "no", "--dir", workdir]
        try:
            return _start(argv, name=name, key=key, tag=tag, env=None, cwd=workdir,
                          timeout=timeout, die_with_parent=die_with_parent,
                          ready_check=lambda: _redis_answers(chosen), port=chosen,
                          files=[workdir], cls=RedisHandle)
        except ProcessError as exc:
            if port or attempt == 2 or "Address already in use" not in str(exc):
                raise
    raise AssertionError("unreachable")  # pragma: no cover
