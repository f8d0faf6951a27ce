"""Shared measuring helpers for the benchmarks: statistics, echo servers, a table printer.

Everything binds 127.0.0.1 only and every loop is bounded by a count (never by "until it
works"), so a benchmark either finishes or fails; it never hangs on the network.
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import simple_websocket
import socketio
from flask import Flask
from flask_socketio import SocketIO
from werkzeug.serving import WSGIRequestHandler, make_server

from server import wire

__all__ = [
    "Stats",
    "echo_app",
    "percentile",
    "port_is_free",
    "print_table",
    "raw_websocket_echo_server",
    "raw_websocket_round_trips",
    "socketio_client",
    "stats",
    "tcp_echo_server",
    "tcp_nodelay_middleware",
    "tcp_round_trips",
    "time_calls",
]

HOST = "127.0.0.1"


# -- statistics ---------------------------------------------------------------------------
def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile of ``samples`` by the nearest-rank method.

    :param samples: the measured values (any unit; the result has the same unit).
    :param q: the percentile, from 0 to 100 (50 is the median, 99 the p99).
    :returns: the smallest sample such that at least ``q`` % of the samples are <= it.
    :raises ValueError: if ``samples`` is empty or ``q`` is outside [0, 100].
    """
    if not samples:
        raise ValueError("percentile() of no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within [0, 100], not {q}")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least 1
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Stats:
    """Summary of a set of durations, in milliseconds.

    :ivar n: how many samples.
    :ivar median_ms: their median, in ms.
    :ivar p99_ms: their 99th percentile (nearest rank), in ms.
    :ivar min_ms: the fastest, in ms.
    :ivar max_ms: the slowest, in ms.
    """

    n: int
    median_ms: float
    p99_ms: float
    min_ms: float
    max_ms: float


def stats(durations_s: list[float]) -> Stats:
    """Summarize durations given in seconds as a :class:`Stats` in milliseconds.

    :param durations_s: durations, in seconds.
    :returns: a :class:`Stats`.
    :raises ValueError: if ``durations_s`` is empty.
    """
    ms = [d * 1000.0 for d in durations_s]
    return Stats(len(ms), statistics.median(ms), percentile(ms, 99), min(ms), max(ms))


def time_calls(fn: Callable[[], object], n: int, warmup: int = 20) -> list[float]:
    """Call ``fn()`` ``warmup`` times unmeasured, then ``n`` times, timing each call.

    :param fn: a callable taking no argument (e.g. one round trip).
    :param n: how many measured calls.
    :param warmup: how many calls first, not measured (connection set-up, caches).
    :returns: the ``n`` durations, in seconds (``time.perf_counter`` differences).
    """
    for _ in range(warmup):
        fn()
    out = []
    clock = time.perf_counter
    for _ in range(n):
        t0 = clock()
        fn()
        out.append(clock() - t0)
    return out


def print_table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    """Print rows as a fixed-width text table under a title.

    :param title: printed above the table.
    :param header: column labels (put units in them, e.g. ``"median (ms)"``).
    :param rows: one tuple per row; floats are printed with 3 significant decimals.
    """
    def fmt(v) -> str:
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
        return str(v)

    cells = [tuple(header)] + [tuple(fmt(v) for v in row) for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    # numbers right-aligned, text left-aligned (a column is numeric if its first row is)
    numeric = [bool(rows) and isinstance(rows[0][i], (int, float)) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print(line)
    for i, row in enumerate(cells):
        print("  ".join(c.rjust(w) if numeric[j] else c.ljust(w)
                        for j, (c, w) in enumerate(zip(row, widths))).rstrip())
        if i == 0:
            print(line)
    print(line, flush=True)


def tcp_nodelay_middleware(app: Flask) -> Flask:
    """Set ``TCP_NODELAY`` on each accepted connection's socket (Werkzeug does not).

    Without it, a second small frame sent before the client ACKed the first waits for
    the client's delayed ACK (about 40 ms on Linux): Nagle's algorithm.

    :param app: the Flask app whose ``wsgi_app`` is wrapped (in place).
    :returns: the same app.
    """
    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app
    return app


# -- ports --------------------------------------------------------------------------------
def port_is_free(port: int, reuse_address: bool = True) -> bool:
    """Whether a new listening socket can bind ``127.0.0.1:port`` right now.

    :param port: the TCP port to try.
    :param reuse_address: set ``SO_REUSEADDR`` first, as Werkzeug's ``make_server`` (and
        so :func:`server.start_server`) does; ``False`` also fails while connections that
        used the port wait in TIME_WAIT.
    :returns: ``True`` if the bind succeeded (the socket is closed again at once).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if reuse_address:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
            s.listen(1)
        except OSError:
            return False
    return True


# -- plain TCP echo -----------------------------------------------------------------------
@contextlib.contextmanager
def tcp_echo_server() -> Iterator[int]:
    """A loopback TCP echo server, one thread per connection, ``TCP_NODELAY`` set.

    :returns: (as a context manager) the port it listens on; it stops on exit.
    """
    listener = socket.create_server((HOST, 0))
    threads: list[threading.Thread] = []

    def serve_one(conn: socket.socket) -> None:
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while data := conn.recv(65536):
                conn.sendall(data)

    def accept_loop() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # the listener was closed: stop accepting
                return
            t = threading.Thread(target=serve_one, args=(conn,), daemon=True)
            t.start()
            threads.append(t)

    acceptor = threading.Thread(target=accept_loop, name="tcp-echo", daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1]
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        acceptor.join(2)
        for t in threads:  # each exits when its client closes
            t.join(2)


def tcp_round_trips(port: int, n: int, payload: bytes = b'{"n":1}') -> list[float]:
    """Time ``n`` echo round trips of ``payload`` over one loopback TCP connection.

    :param port: the port of a :func:`tcp_echo_server`.
    :param n: how many measured round trips (plus 50 unmeasured first).
    :param payload: the bytes sent each time (small: it must fit one ``recv``).
    :returns: ``n`` durations, in seconds.
    """
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def once() -> None:
            s.sendall(payload)
            got = b""
            while len(got) < len(payload):
                got += s.recv(65536)

        return time_calls(once, n, warmup=50)


# -- raw WebSocket echo (simple-websocket behind Werkzeug, as Engine.IO uses it) -----------
class _QuietHandler(WSGIRequestHandler):
    def log(self, type, message, *args):  # noqa: A002 - Werkzeug's signature
        pass


def _ws_echo_app(environ, start_response):
    ws = simple_websocket.Server.accept(environ)  # thread class: threading.Thread, as in Engine.IO
    try:
        while True:
            data = ws.receive()
            if data is None:
                break
            ws.send(data)
    except simple_websocket.ConnectionClosed:
        pass
    # What Engine.IO's driver does too: tell Werkzeug the connection is gone, so it does not
    # try to write an HTTP response onto a socket that now speaks WebSocket.
    raise ConnectionError()


@contextlib.contextmanager
def raw_websocket_echo_server() -> Iterator[str]:
    """A simple-websocket echo server behind Werkzeug's threaded ``make_server``.

    The same stack Engine.IO's threading mode uses for WebSocket (Werkzeug request thread +
    simple-websocket reader thread), with nothing above it: the floor for a round trip.

    :returns: (as a context manager) its ``ws://127.0.0.1:PORT/`` URL; it stops on exit.
    """
    httpd = make_server(HOST, 0, _ws_echo_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                              name="raw-ws-echo", daemon=True)
    thread.start()
    try:
        yield f"ws://{HOST}:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(2)


def raw_websocket_round_trips(url: str, n: int, payload: str = '42["echo",{"n":1}]') -> list[float]:
    """Time ``n`` echo round trips over one ``simple_websocket.Client`` connection.

    :param url: the URL of a :func:`raw_websocket_echo_server`.
    :param n: how many measured round trips (plus 50 unmeasured first).
    :param payload: the text message sent each time (default: a Socket.IO-sized frame).
    :returns: ``n`` durations, in seconds.
    :raises RuntimeError: if an echo does not come back within 5 s.
    """
    ws = simple_websocket.Client.connect(url)
    try:
        def once() -> None:
            ws.send(payload)
            if ws.receive(timeout=5) is None:
                raise RuntimeError("no echo within 5 s")

        return time_calls(once, n, warmup=50)
    finally:
        ws.close()


# -- Socket.IO ----------------------------------------------------------------------------
def echo_app(**socketio_options) -> tuple[Flask, SocketIO]:
    """A Flask app with a Socket.IO ``echo`` event whose handler returns its argument.

    The return value is the ack, so ``client.call("echo", x)`` returns ``x``.

    :param socketio_options: passed to ``SocketIO(app, async_mode="threading", ...)``,
        e.g. ``async_handlers=False``.
    :returns: ``(app, socketio)``.
    """
    app = Flask("bench")
    sio = SocketIO(app, async_mode="threading", **socketio_options)

    @sio.on("echo")
    def echo(data):
        return data

    return app, sio


def socketio_client(url: str, transports: tuple[str, ...] = ("websocket",), **client_options) -> socketio.Client:
    """Connect a python-socketio ``Client`` and return it once its connect is complete.

    The client is tapped with :func:`server.wire.tap_client` so that a disconnect does not
    wait out websocket-client's 3 s close timeout, and does not reconnect by default.

    :param url: the server URL, e.g. ``srv.url``.
    :param transports: ``("websocket",)`` (default) or ``("polling",)``.
    :param client_options: passed to ``socketio.Client(...)``; ``reconnection`` defaults
        to ``False``.
    :returns: the connected client.
    :raises socketio.exceptions.ConnectionError: if it cannot connect.
    """
    client_options.setdefault("reconnection", False)
    client_options.setdefault("handle_sigint", False)
    client = socketio.Client(**client_options)
    wire.tap_client(client)
    client.connect(url, transports=list(transports), wait_timeout=5)
    return client
