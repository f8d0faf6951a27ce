"""Run a Flask-SocketIO app inside the Jupyter kernel, on a thread, and stop it cleanly.

``socketio.run(app)`` is the right call in a terminal, but not in a kernel: it refuses to
start without a TTY (unless ``allow_unsafe_werkzeug=True``), blocks the cell, and no code
can stop it. :func:`start_server` serves the same WSGI app with Werkzeug's
``make_server(..., threaded=True)`` on a daemon thread instead (python-socketio's own test
suite does much the same with wsgiref and ``ThreadingMixIn``, in ``tests/web_server.py``).

What the kit adds on top, and why:

- a registry, so that running a cell twice stops the server the first run started;
- a ``stop()`` that disconnects Socket.IO clients first (Werkzeug's shutdown leaves open
  WebSockets alone), then frees the port within a bounded time;
- quiet request logs (Werkzeug writes a line per request to stderr, which would land in
  whatever cell is running);
- errors raised in handler threads are captured on the handle (:attr:`ServerHandle.errors`)
  instead of being printed into a random cell.
"""

from __future__ import annotations

import io
import logging
import socket
import sys
import threading
import time
import traceback
from contextlib import redirect_stderr
from dataclasses import dataclass, field

from werkzeug.serving import WSGIRequestHandler, make_server

__all__ = [
    "HandlerError",
    "PortInUseError",
    "ServerError",
    "ServerHandle",
    "running_servers",
    "start_server",
    "stop_all",
]

_registry: dict[str, "ServerHandle"] = {}
_registry_lock = threading.Lock()

# How often serve_forever() checks for a shutdown request, in seconds. It bounds the time
# stop() spends waiting for the accept loop (the Werkzeug default of 0.5 s would dominate).
POLL_INTERVAL = 0.02


class ServerError(RuntimeError):
    """A server started by :func:`start_server` could not start, or its handlers raised."""


class PortInUseError(ServerError, OSError):
    """The requested port is already bound by another socket on this host."""


@dataclass
class HandlerError:
    """An exception raised in one of the server's threads (an event handler or a task).

    :ivar exception: the exception instance.
    :ivar event: the Socket.IO event whose handler raised, or ``None`` for a background task
        and for a ``connect`` or ``disconnect`` handler (python-engineio catches and logs what
        those raise, in ``_trigger_event``; the kit picks it up from the log).
    :ivar namespace: the namespace of that event, or ``None``.
    :ivar thread: the name of the thread it was raised in.
    :ivar traceback: the formatted traceback, as text.
    """

    exception: BaseException
    event: str | None = None
    namespace: str | None = None
    thread: str = ""
    traceback: str = field(default="", repr=False)

    def __str__(self) -> str:
        text = str(self.exception)
        what = f"{type(self.exception).__name__}: {text}" if text else type(self.exception).__name__
        where = (
            f"in the handler for {self.event!r} (namespace {self.namespace!r})"
            if self.event
            else f"in thread {self.thread!r}"
        )
        return f"{what} {where}"


class _QuietRequestHandler(WSGIRequestHandler):
    """Drops Werkzeug's per-request log lines and its 'Bad request syntax' noise.

    Both go to stderr, and stderr from a server thread lands in whatever cell is running.
    """

    def log(self, type, message, *args):  # noqa: A002 - Werkzeug's signature
        pass

    def setup(self):
        super().setup()
        # Werkzeug never sets TCP_NODELAY. Without it, a small frame sent while the previous
        # one is unacknowledged waits for the peer's delayed ACK (Nagle): ~40 ms for the second
        # of two emits, for a broadcast, and for the DISCONNECT packets of stop().
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _KitLogHandler(logging.Handler):
    """Routes the server's log records to the handle instead of a cell's stderr."""

    def __init__(self, handle: "ServerHandle"):
        super().__init__(level=logging.NOTSET)
        self.owner = handle  # not `self.handle`: that is logging.Handler's own method

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{record.levelname} {record.name}: {record.getMessage()}"
        except Exception:  # a malformed record must never break a server thread
            line = f"{record.levelname} {record.name}: {record.msg!r}"
        self.owner._add_log(line)
        if record.levelno >= logging.ERROR and record.exc_info and record.exc_info[1]:
            self.owner._add_error(
                HandlerError(
                    exception=record.exc_info[1],
                    thread=record.threadName or "",
                    traceback="".join(traceback.format_exception(*record.exc_info)),
                )
            )


def _owned_thread_class(base: type, handle: "ServerHandle") -> type:
    """A subclass of Engine.IO's thread class that records what its target raises.

    Engine.IO starts every event handler thread and background task through this class, so
    an exception in one lands in ``handle.errors`` instead of being printed by
    ``threading.excepthook`` into whichever cell is running. (``connect`` and ``disconnect``
    handlers run on the request's thread; python-engineio logs what they raise, and the kit's
    log handler records that.)
    """

    def run(self):
        try:
            base.run(self)
        except SystemExit:
            pass
        except BaseException as exc:
            handle._add_error(_handler_error(exc, self.name))

    return type(base.__name__, (base,), {"run": run, "_kit_owner": handle})


def _handler_error(exc: BaseException, thread: str) -> HandlerError:
    event = namespace = None
    tb = exc.__traceback__
    while tb is not None:  # Flask-SocketIO's _handle_event(self, handler, message, namespace, ...)
        code = tb.tb_frame.f_code
        if code.co_name == "_handle_event" and "flask_socketio" in code.co_filename:
            event = tb.tb_frame.f_locals.get("message")
            namespace = tb.tb_frame.f_locals.get("namespace")
        tb = tb.tb_next
    return HandlerError(exception=exc, event=event, namespace=namespace, thread=thread,
                        traceback="".join(traceback.format_exception(exc)))


class ServerHandle:
    """A Flask-SocketIO app served on a thread of this process.

    Created by :func:`start_server`; do not instantiate it directly.

    :ivar app: the Flask app being served.
    :ivar socketio: its :class:`flask_socketio.SocketIO` extension.
    :ivar host: the interface the server listens on (``'127.0.0.1'`` by default).
    :ivar port: the TCP port it listens on.
    :ivar key: the registry key: re-starting with the same key stops this server first.
    :ivar log: server log lines (Engine.IO, Socket.IO, Flask), newest last, at most 500.
    :ivar errors: exceptions raised in the server's threads, as :class:`HandlerError`.

    Usable as a context manager: ``with start_server(app) as srv: ...`` stops on exit.
    """

    _MAX_LOG = 500

    def __init__(self, app, socketio, httpd, key: str):
        self.app = app
        self.socketio = socketio
        self.host: str = httpd.host
        self.port: int = httpd.server_port
        self.key = key
        self.log: list[str] = []
        self.errors: list[HandlerError] = []
        self._httpd = httpd
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        httpd.app = self._refuse_new_sessions_once_stopping(app)
        self._reported = 0
        self._listeners: list = []
        self._log_handler = _KitLogHandler(self)
        self._loggers: list[logging.Logger] = []
        self._thread = threading.Thread(
            target=self._serve, name=f"socketio-server:{self.port}", daemon=True
        )

    # -- public ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The base URL clients connect to, e.g. ``'http://127.0.0.1:54321'``."""
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """``True`` until :meth:`stop` has been called or the server thread died."""
        return not self._stopped.is_set() and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Disconnect every client, stop serving, and free the port.

        The steps, in order: disconnect each client at the Socket.IO level (one
        ``socketio.server.disconnect(sid, namespace=...)`` per participant: the Engine.IO
        level ``eio.disconnect()`` can hang); close Engine.IO sockets that have no
        Socket.IO participant; wait for the clients to close their end; stop Engine.IO's
        ping service task; shut the HTTP server down, close its listening socket, and join
        its thread. Calling it again does nothing.

        :param timeout: upper bound for the whole stop, in seconds (default 5.0). Clients
            that have not closed their end after 0.5 s (or half of ``timeout``, if less) are
            closed without waiting for them.
        :returns: ``None``.
        :raises ServerError: if the server thread is still alive after ``timeout`` seconds.
        """
        if self._stopped.is_set():
            return
        self._stopped.set()
        deadline = time.monotonic() + timeout
        sio = self.socketio.server
        eio = sio.eio
        try:
            participants = set()
            for namespace in list(sio.manager.get_namespaces()):
                for sid, eio_sid in list(sio.manager.get_participants(namespace, None)):
                    participants.add(eio_sid)
                    try:
                        sio.disconnect(sid, namespace=namespace, ignore_queue=True)
                    except Exception:  # a client that vanished mid-stop is fine
                        pass
            # Sockets with no Socket.IO participant (a refused namespace connection, a client
            # that never sent CONNECT) get an Engine.IO close without waiting on their send
            # queue: it is Socket.close(wait=True) that can hang.
            for eio_sid, s in list(eio.sockets.items()):
                if eio_sid not in participants and not s.closed:
                    s.close(wait=False)
            # Clients told to disconnect close their end themselves (so the TIME_WAIT state
            # lands on their side and the server port is free at once). Engine.IO offers no
            # close notification to wait on, so poll briefly. The bound is short: over
            # long-polling, python-engineio's client sometimes drops its own CLOSE packet (its
            # write loop checks the state that disconnect() has just changed) and never closes.
            soft_deadline = time.monotonic() + min(timeout / 2, 0.5)
            while any(not s.closed for s in list(eio.sockets.values())):
                if time.monotonic() > soft_deadline:
                    for s in list(eio.sockets.values()):
                        s.close(wait=False, abort=True)
                    break
                time.sleep(0.002)
            eio.shutdown()
            # Engine.IO cannot shut down twice: re-arm its service task so that this same
            # SocketIO object can be served again (a re-run cell does exactly that).
            eio.service_task_handle = None
            eio.service_task_event = None
            eio.start_service_task = self._monitor_clients
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(max(0.0, deadline - time.monotonic()))
            for logger in self._loggers:
                logger.removeHandler(self._log_handler)
            with _registry_lock:
                if _registry.get(self.key) is self:
                    del _registry[self.key]
        if self._thread.is_alive():
            raise ServerError(f"the server at {self.url} did not stop within {timeout} s")

    def check(self) -> None:
        """Raise the errors the server's handlers raised since the last check, if any.

        Handler threads cannot raise into your cell; they record their exceptions on the
        handle instead. Call this after an exchange to surface them.

        :raises ServerError: listing each new :class:`HandlerError`, the last one chained.
        """
        with self._lock:
            new = self.errors[self._reported :]
            self._reported = len(self.errors)
        if new:
            lines = "\n".join(f"  - {e}" for e in new)
            raise ServerError(
                f"the server recorded {len(new)} error(s) in its threads:\n{lines}\n"
                "Each HandlerError in srv.errors has the full .traceback."
            ) from new[-1].exception

    def new_errors_since(self, count: int) -> list[HandlerError]:
        """The errors recorded after the first ``count`` ones (for timeout messages)."""
        with self._lock:
            return list(self.errors[count:])

    def add_listener(self, callback) -> None:
        """Call ``callback(kind, item)`` for each new log line (``'log'``) or error
        (``'error'``), from whatever thread produced it. Used by the log widgets."""
        self._listeners.append(callback)

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<ServerHandle {self.url} {state}>"

    # -- internals ------------------------------------------------------------------------
    def _start(self) -> None:
        sio = self.socketio.server
        eio = sio.eio
        self._monitor_clients = eio.start_service_task or eio.service_task_handle is not None
        # Subclass Engine.IO's own thread class, not the one a previous server installed on
        # this same SocketIO: its run() would report errors to that previous handle.
        base = getattr(eio, "_kit_base_thread", None) or eio._async["thread"]
        eio._kit_base_thread = base
        eio._async = dict(eio._async, thread=_owned_thread_class(base, self))
        for logger in {sio.logger, eio.logger, self.app.logger, logging.getLogger("werkzeug")}:
            # The libraries add a StreamHandler bound to the stderr of the cell that created
            # them (Werkzeug a subclass of its own, _ColorStreamHandler); route their records
            # to the handle instead. (Other running servers' kit handlers stay: the loggers
            # are shared per process. A FileHandler someone added stays too.)
            for h in list(logger.handlers):
                if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
                    logger.removeHandler(h)
            logger.addHandler(self._log_handler)
            logger.propagate = False
            self._loggers.append(logger)
        self._thread.start()

    def _refuse_new_sessions_once_stopping(self, app):
        """Wrap the WSGI app: once :meth:`stop` has begun, answer Engine.IO handshakes (a
        request with ``EIO=`` and no ``sid=``) with 503, as a server that is going away would.

        Without it, a client with reconnection on whose connection was just cut (see
        :func:`server.flaky.cut_connections`) can reconnect to this server while ``stop()``
        is still disconnecting the others, and its new connection is closed a moment later
        (or, if it came after the last close, outlives the stopped server). Requests of
        existing sessions (``sid=``) and plain pages pass: ``stop()`` still delivers its
        goodbyes to long-polling clients.
        """
        stopping = self._stopped

        def wsgi(environ, start_response):
            query = environ.get("QUERY_STRING", "")
            if stopping.is_set() and "EIO=" in query and "sid=" not in query:
                start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "text/plain")])
                return [b"the server is stopping"]
            return app(environ, start_response)

        return wsgi

    def _serve(self) -> None:
        try:
            self._httpd.serve_forever(poll_interval=POLL_INTERVAL)
        except BaseException as exc:  # surfaced through .errors and check()
            self._add_error(
                HandlerError(exception=exc, thread=self._thread.name,
                             traceback=traceback.format_exc())
            )

    def _add_log(self, line: str) -> None:
        with self._lock:
            self.log.append(line)
            del self.log[: -self._MAX_LOG]
        for cb in list(self._listeners):
            cb("log", line)

    def _add_error(self, error: HandlerError) -> None:
        with self._lock:
            self.errors.append(error)
        for cb in list(self._listeners):
            cb("error", error)


def _caller_key() -> str:
    """Where start_server was called from: the JupyterLab cell id, else file:line."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        parent = ip.kernel.get_parent() if ip is not None and hasattr(ip, "kernel") else {}
        cell_id = (parent or {}).get("metadata", {}).get("cellId")
        if cell_id:
            return f"cell:{cell_id}"
    except Exception:
        pass
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("server."):
        frame = frame.f_back
    if frame is None:
        return "unknown"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def start_server(app, *, host: str = "127.0.0.1", port: int = 0, key: str | None = None) -> ServerHandle:
    """Serve a Flask-SocketIO app on a daemon thread of this process and return at once.

    Use this instead of ``socketio.run(app)`` inside Jupyter: ``run()`` refuses to start
    without a TTY, blocks the cell, and no code can stop it (``SocketIO.stop()`` needs
    ``werkzeug.server.shutdown``, which Werkzeug no longer provides; only interrupting the
    kernel does). Werkzeug's development server is used with ``threaded=True``, and
    WebSocket support comes from ``simple-websocket`` (see Flask-SocketIO's "Deployment"
    docs, https://flask-socketio.readthedocs.io/en/latest/deployment.html).

    Calling it again from the same place (the same notebook cell, or the same ``key``), or
    for the same ``socketio`` object, or on the same explicit ``port``, first stops the
    server started before, so re-running a cell always works.

    :param app: a Flask app on which ``SocketIO(app, async_mode="threading")`` (or
        ``socketio.init_app(app)``) was called.
    :param host: interface to bind, default ``"127.0.0.1"`` (this machine only). Use
        ``"0.0.0.0"`` only on a trusted network: it exposes the server to every host.
    :param port: TCP port; ``0`` (default) lets the OS pick a free one, read it from
        :attr:`ServerHandle.port`.
    :param key: registry key; defaults to the calling cell (or file and line).
    :returns: a running :class:`ServerHandle` (``.url``, ``.port``, ``.stop()``).
    :raises TypeError: if ``app`` has no Flask-SocketIO extension.
    :raises ValueError: if the extension's ``async_mode`` is not ``"threading"``.
    :raises PortInUseError: if the address cannot be bound: ``port`` is already taken by
        another socket, or ``host`` is not an address of this machine (the message says which).

    Example::

        socketio = SocketIO(app, async_mode="threading")
        srv = start_server(app)
        client.connect(srv.url)
        ...
        srv.stop()
    """
    socketio = getattr(app, "extensions", {}).get("socketio")
    if socketio is None:
        raise TypeError(
            f"{app!r} has no Flask-SocketIO extension: create it with "
            "`socketio = SocketIO(app, async_mode='threading')` (or call "
            "`socketio.init_app(app)`) before starting the server."
        )
    if socketio.server is None or socketio.async_mode != "threading":
        raise ValueError(
            f"the kit serves SocketIO with async_mode='threading' inside the kernel, but this "
            f"one uses {socketio.async_mode!r}: create it with "
            "`SocketIO(app, async_mode='threading')`."
        )
    key = key or _caller_key()
    with _registry_lock:
        stale = [
            h for h in _registry.values()
            if h.key == key or h.socketio is socketio or (port and h.port == port and h.host == host)
        ]
    for handle in stale:
        handle.stop()

    stderr = io.StringIO()
    try:
        with redirect_stderr(stderr):  # make_server prints the bind error, then exits
            httpd = make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)
    except (SystemExit, OSError) as exc:
        detail = stderr.getvalue().strip() or str(exc)
        first = detail.splitlines()[0] if detail else str(exc)
        remedy = (
            "Another program (or another kernel) is using that port: stop it, choose another "
            "port, or pass port=0 (the default) to get a free one."
            if "in use" in detail.lower() else
            f"Is {host!r} an address of this machine? Leave host at its default, '127.0.0.1'."
        )
        raise PortInUseError(f"cannot listen on {host}:{port}: {first}. {remedy}") from None
    handle = ServerHandle(app, socketio, httpd, key)
    with _registry_lock:
        _registry[key] = handle
    handle._start()
    return handle


def running_servers() -> list[ServerHandle]:
    """The servers started by :func:`start_server` in this process and not yet stopped.

    :returns: a list of :class:`ServerHandle`, oldest first.
    """
    with _registry_lock:
        return [h for h in _registry.values() if h.running]


def stop_all(timeout: float = 5.0) -> int:
    """Stop every server started by :func:`start_server` in this process.

    :param timeout: upper bound per server, in seconds.
    :returns: how many servers were stopped.
    """
    with _registry_lock:
        handles = list(_registry.values())
    for handle in handles:
        handle.stop(timeout)
    return len(handles)
