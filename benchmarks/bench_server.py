"""How fast is the kit's in-kernel server? One run, one table (``make bench``).

Measures, on loopback, with the stock configuration (``SocketIO(app,
async_mode="threading")`` and ``socketio.Client()``):

- start: :func:`server.start_server` until the first WebSocket client is connected;
- stop: ``srv.stop()`` with 1 and with 20 clients connected, whether the port can be
  bound again right after, and whether every client saw its disconnect;
- the acknowledged round trip ``client.call("echo", ...)`` over WebSocket and long-polling;
- the floors: a raw simple-websocket echo behind the same kind of Werkzeug server, and a
  plain TCP echo.

Every loop has a fixed count; the whole run takes about 5-10 s on 2 cores.
"""

from __future__ import annotations

import os
import platform
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _measure as m  # noqa: E402

from server import start_server  # noqa: E402

N_START = 20        # start/stop cycles with one client
N_STOP_20 = 5       # start/stop cycles with 20 clients
N_WS = 2000         # acknowledged round trips over WebSocket
N_POLLING = 300     # acknowledged round trips over long-polling
N_RAW = 2000        # raw WebSocket echoes
N_TCP = 5000        # TCP echoes
PAYLOAD = {"n": 1}


class _Cycle:
    """One start/connect/stop cycle's timings, in seconds, plus what stop left behind."""

    def __init__(self):
        self.start_to_client: float = 0.0
        self.stop: float = 0.0
        self.all_disconnected: float = 0.0
        self.port_free: bool = False
        self.port_free_no_reuse: bool = False
        self.clients_disconnected: bool = False


def start_stop_cycle(n_clients: int, transports: tuple[str, ...] = ("websocket",),
                     nodelay: bool = False) -> _Cycle:
    """Start a server, connect ``n_clients``, stop it; time each step.

    :param n_clients: how many clients to connect before stopping (the first one is timed).
    :param transports: the client transports, ``("websocket",)`` or ``("polling",
        "websocket")`` (the client default: long-polling, then an upgrade).
    :param nodelay: wrap the app in :func:`_measure.tcp_nodelay_middleware`.
    :returns: a :class:`_Cycle`.
    :raises TimeoutError: if some client saw no disconnect within 5 s of the stop.
    """
    app, _ = m.echo_app()
    if nodelay:
        m.tcp_nodelay_middleware(app)
    cycle = _Cycle()
    clients = []
    gone = threading.Semaphore(0)

    def connect():
        c = m.socketio_client(srv.url, transports=transports)
        c.on("disconnect", lambda *reason: gone.release())
        clients.append(c)

    t0 = time.perf_counter()
    srv = start_server(app, key="bench-start-stop")
    connect()
    cycle.start_to_client = time.perf_counter() - t0
    for _ in range(n_clients - 1):
        connect()
    port = srv.port
    t0 = time.perf_counter()
    srv.stop()
    cycle.stop = time.perf_counter() - t0
    cycle.port_free = m.port_is_free(port)
    cycle.port_free_no_reuse = m.port_is_free(port, reuse_address=False)
    if not all(gone.acquire(timeout=5) for _ in clients):
        raise TimeoutError("a client saw no disconnect within 5 s of srv.stop()")
    cycle.all_disconnected = time.perf_counter() - t0
    cycle.clients_disconnected = not any(c.connected for c in clients)
    return cycle


def ack_round_trips(transport: str, n: int) -> list[float]:
    """Time ``n`` calls of ``client.call("echo", PAYLOAD)`` on one connection.

    :param transport: ``"websocket"`` or ``"polling"`` (the only transport allowed).
    :param n: how many measured calls (after 20 unmeasured ones).
    :returns: ``n`` durations, in seconds.
    """
    app, _ = m.echo_app()
    srv = start_server(app, key="bench-ack")
    client = m.socketio_client(srv.url, transports=(transport,))
    try:
        return m.time_calls(lambda: client.call("echo", PAYLOAD, timeout=5), n)
    finally:
        # Server first: a long-polling client.disconnect() can leave its Engine.IO socket
        # open on the server, and stop() then waits timeout/2 (2.5 s) for it.
        srv.stop()
        client.disconnect()


def main() -> None:
    """Run every measurement and print the table."""
    began = time.perf_counter()
    rows = []

    def row(label: str, durations: list[float], note: str = "") -> m.Stats:
        s = m.stats(durations)
        rows.append((label, s.n, s.median_ms, s.p99_ms, note))
        return s

    ws_cycles = [start_stop_cycle(1) for _ in range(N_START)]
    row("start_server -> 1st client connected (websocket)", [c.start_to_client for c in ws_cycles],
        "client transports=['websocket']")
    up_cycles = [start_stop_cycle(1, ("polling", "websocket")) for _ in range(N_START // 2)]
    row("start_server -> 1st client connected (default)", [c.start_to_client for c in up_cycles],
        "client default: polling, then upgrade")
    many = [start_stop_cycle(20) for _ in range(N_STOP_20)]
    nodelay = [start_stop_cycle(1, nodelay=True) for _ in range(N_START)]
    for label, cycles in (("1 client", ws_cycles), ("20 clients", many),
                          ("1 client, TCP_NODELAY app", nodelay)):
        free = sum(c.port_free for c in cycles)
        free_strict = sum(c.port_free_no_reuse for c in cycles)
        gone = sum(c.clients_disconnected for c in cycles)
        row(f"srv.stop() with {label}", [c.stop for c in cycles],
            f"port free after: {free}/{len(cycles)} (plain bind: {free_strict}/{len(cycles)}); "
            f"clients disconnected: {gone}/{len(cycles)}")
        row(f"srv.stop() start -> every client saw disconnect ({label})",
            [c.all_disconnected for c in cycles])

    ws = row("ack round trip client.call, websocket", ack_round_trips("websocket", N_WS))
    poll = row("ack round trip client.call, long-polling", ack_round_trips("polling", N_POLLING))
    with m.raw_websocket_echo_server() as url:
        raw = row("raw simple-websocket echo round trip", m.raw_websocket_round_trips(url, N_RAW),
                  "simple_websocket.Server behind Werkzeug, Client")
    with m.tcp_echo_server() as port:
        tcp = row("plain TCP echo round trip", m.tcp_round_trips(port, N_TCP), "TCP_NODELAY")

    m.print_table(
        f"flask-socketio-lab server benchmark (Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, loopback 127.0.0.1)",
        ("measurement", "N", "median (ms)", "p99 (ms)", "notes"),
        rows,
    )
    print(
        f"ratios of medians: websocket ack / raw echo = {ws.median_ms / raw.median_ms:.1f}x, "
        f"long-polling ack / websocket ack = {poll.median_ms / ws.median_ms:.1f}x, "
        f"raw echo / TCP echo = {raw.median_ms / tcp.median_ms:.1f}x"
    )
    print(f"total run time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
