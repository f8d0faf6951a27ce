"""How does the threaded in-kernel server scale? Throughput, broadcast fan-out, threads.

1. Throughput, one client -> server, in one process (as in a notebook): the client emits
   ``N_EVENTS`` events with an ack callback without waiting in between; events/s is
   ``N_EVENTS`` / (time until the last ack arrived). With ``async_handlers`` True (the
   default: a new thread per event) and False (handlers run on the connection's thread).
2. Broadcast fan-out: N clients (1, 10, 50, 100, 200) connected; the server broadcasts
   ``tick`` and we time from the ``emit`` call until the last client received it. The
   clients run in two worker processes (python-socketio ``Client``, threading), so that the
   server's own process does only the server's work; arrival times use
   ``time.monotonic()``, one clock for every process of the machine. Servers:
   - Flask-SocketIO, threading, served by the kit's :func:`server.start_server`;
   - python-socketio ``AsyncServer`` (ASGI) under uvicorn, on a thread of this process
     with its own event loop.
   Threads per client are counted in threading mode, on each side.

Every loop is bounded; the whole run takes well under 60 s on 2 cores.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _measure as m  # noqa: E402

N_EVENTS = 2000                      # events per throughput run
FANOUT_SIZES = (1, 10, 50, 100, 200)  # clients
TICKS = {1: 50, 10: 50, 50: 40, 100: 30, 200: 20}  # broadcasts per size
WORKERS = 2                           # client processes
TIMEOUT = 10.0                        # s, bound on any single wait


# -- 1. throughput ------------------------------------------------------------------------
def throughput(async_handlers: bool) -> tuple[float, float]:
    """Events per second, acked, from one in-process client to an in-process server.

    :param async_handlers: passed to ``SocketIO(...)``.
    :returns: ``(events_per_s, peak_threads)``: the rate, and the most threads this
        process had while it ran.
    :raises TimeoutError: if not every ack arrived within :data:`TIMEOUT` seconds.
    """
    from server import start_server

    app, _ = m.echo_app(async_handlers=async_handlers)
    srv = start_server(app, key="bench-scale-throughput")
    try:
        client = m.socketio_client(srv.url)
        client.call("echo", 0, timeout=5)
        acked = 0
        lock = threading.Lock()
        done = threading.Event()
        peak = threading.active_count()

        def on_ack(_value):
            nonlocal acked, peak
            with lock:
                acked += 1
                peak = max(peak, threading.active_count())
                if acked == N_EVENTS:
                    done.set()

        t0 = time.perf_counter()
        for i in range(N_EVENTS):
            client.emit("echo", i, callback=on_ack)
        if not done.wait(TIMEOUT):
            raise TimeoutError(f"only {acked}/{N_EVENTS} acks within {TIMEOUT} s")
        return N_EVENTS / (time.perf_counter() - t0), peak
    finally:
        srv.stop()


# -- 2. fan-out: client worker processes --------------------------------------------------
def client_worker(conn) -> None:
    """A client process: obeys commands from ``conn`` (a ``multiprocessing`` Connection).

    Commands: ``("connect", url, n)`` connects ``n`` more clients and answers
    ``("connected", threads_before, threads_after)``; then for each ``tick`` broadcast
    ``{"k": k, "t": monotonic}`` it answers ``("tick", k, latest_latency_s)`` once all its
    clients received it; ``("disconnect",)`` answers ``("disconnected",)`` when every
    client saw its disconnect (the server stops first); ``("exit",)`` ends it.
    """
    import socketio

    from server import wire

    send_lock = threading.Lock()
    clients: list = []
    state = {"counts": {}, "latest": {}}
    lock = threading.Lock()
    gone = threading.Semaphore(0)

    def reply(*msg):
        with send_lock:
            conn.send(msg)

    def on_tick(data):
        latency = time.monotonic() - data["t"]
        k = data["k"]
        with lock:
            count = state["counts"][k] = state["counts"].get(k, 0) + 1
            state["latest"][k] = max(state["latest"].get(k, 0.0), latency)
            complete = count == len(clients)
        if complete:
            reply("tick", k, state["latest"].pop(k))
            del state["counts"][k]

    while True:
        cmd = conn.recv()
        if cmd[0] == "connect":
            _, url, n = cmd
            before = threading.active_count()
            for _ in range(n):
                c = socketio.Client(reconnection=False, handle_sigint=False)
                wire.tap_client(c)
                c.on("tick", on_tick)
                c.on("disconnect", lambda *reason: gone.release())
                c.connect(url, transports=["websocket"], wait_timeout=5)
                clients.append(c)
            reply("connected", before, threading.active_count())
        elif cmd[0] == "disconnect":
            ok = all(gone.acquire(timeout=TIMEOUT) for _ in clients)
            for c in clients:
                if c.connected:
                    c.disconnect()
            clients.clear()
            reply("disconnected", ok)
        elif cmd[0] == "exit":
            return


class Workers:
    """The client processes, started once with the ``spawn`` method (no fork of a
    process that already runs server threads)."""

    def __init__(self, count: int):
        ctx = mp.get_context("spawn")
        self.conns = []
        self.procs = []
        for i in range(count):
            parent, child = ctx.Pipe()
            p = ctx.Process(target=client_worker, args=(child,), name=f"clients-{i}", daemon=True)
            p.start()
            self.conns.append(parent)
            self.procs.append(p)

    def expect(self, conn, kind: str):
        if not conn.poll(TIMEOUT):
            raise TimeoutError(f"no {kind!r} from a client process within {TIMEOUT} s")
        msg = conn.recv()
        if msg[0] != kind:
            raise RuntimeError(f"expected {kind!r} from a client process, got {msg!r}")
        return msg

    def connect(self, url: str, n: int) -> int:
        """Spread ``n`` clients over the workers; return the client threads they added."""
        shares = [n // len(self.conns) + (i < n % len(self.conns)) for i in range(len(self.conns))]
        used = [(c, s) for c, s in zip(self.conns, shares) if s]
        for conn, share in used:
            conn.send(("connect", url, share))
        added = 0
        for conn, _ in used:
            _, before, after = self.expect(conn, "connected")
            added += after - before
        self.active = used
        return added

    def wait_tick(self, k: int) -> float:
        """The latest arrival of broadcast ``k`` over all workers, in seconds."""
        latest = 0.0
        for conn, _ in self.active:
            _, got_k, latency = self.expect(conn, "tick")
            if got_k != k:
                raise RuntimeError(f"worker reported tick {got_k}, expected {k}")
            latest = max(latest, latency)
        return latest

    def disconnected(self) -> bool:
        for conn, _ in self.active:
            conn.send(("disconnect",))
        return all(self.expect(conn, "disconnected")[1] for conn, _ in self.active)

    def close(self) -> None:
        for conn, p in zip(self.conns, self.procs):
            try:
                conn.send(("exit",))
            except OSError:
                pass
            p.join(5)
            if p.is_alive():
                p.kill()


# -- 2. fan-out: the two servers ----------------------------------------------------------
class ThreadingServer:
    """Flask-SocketIO in threading mode, served in this process by the kit."""

    label = "Flask-SocketIO threading (start_server)"
    nodelay = False

    def __init__(self):
        from server import start_server

        self.app, self.socketio = m.echo_app()
        if self.nodelay:
            m.tcp_nodelay_middleware(self.app)
        self.srv = start_server(self.app, key="bench-scale-fanout")
        self.url = self.srv.url

    def broadcast(self, data: dict) -> None:
        self.socketio.emit("tick", data)

    def stop(self) -> None:
        self.srv.stop()


class ThreadingNoDelayServer(ThreadingServer):
    """The same, with ``TCP_NODELAY`` set on each connection (asyncio sets it by default,
    Werkzeug does not): a tick sent before the client ACKed the previous one otherwise
    waits for the client's delayed ACK, up to ~40 ms."""

    label = "Flask-SocketIO threading + TCP_NODELAY"
    nodelay = True


class AsgiServer:
    """python-socketio ``AsyncServer`` under uvicorn, on a thread with its own event loop."""

    label = "python-socketio AsyncServer, ASGI (uvicorn)"

    def __init__(self):
        import socketio
        import uvicorn

        self.sio = socketio.AsyncServer(async_mode="asgi")
        config = uvicorn.Config(socketio.ASGIApp(self.sio), ws="wsproto", log_level="warning",
                                access_log=False, lifespan="off", log_config=None)
        self.server = uvicorn.Server(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((m.HOST, 0))
        self.url = f"http://{m.HOST}:{sock.getsockname()[1]}"
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        async def serve():
            self.loop.call_soon(started.set)
            await self.server.serve(sockets=[sock])
            # Engine.IO's ping tasks outlive the connections: end them before the loop
            # closes, or asyncio prints "Task was destroyed but it is pending!".
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(serve(),),
                                       name="uvicorn", daemon=True)
        self.thread.start()
        if not started.wait(TIMEOUT):
            raise TimeoutError("uvicorn did not start")
        while not self.server.started:  # bounded by the join below if it fails
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn exited during start-up")
            time.sleep(0.005)

    def broadcast(self, data: dict) -> None:
        asyncio.run_coroutine_threadsafe(self.sio.emit("tick", data), self.loop).result(TIMEOUT)

    def stop(self) -> None:
        async def disconnect_all():
            for sid in list(self.sio.manager.get_participants("/", None)):
                await self.sio.disconnect(sid[0])

        asyncio.run_coroutine_threadsafe(disconnect_all(), self.loop).result(TIMEOUT)
        self.server.should_exit = True
        self.thread.join(TIMEOUT)
        self.loop.close()


def fanout(server_cls, workers: Workers, n: int) -> dict:
    """Connect ``n`` clients to a fresh server, broadcast ``TICKS[n]`` times, stop.

    :returns: a dict with ``stats`` (time until the last client received, as
        :class:`_measure.Stats`), ``server_threads`` and ``client_threads`` per client.
    """
    server = server_cls()
    try:
        before = threading.active_count()
        client_threads = workers.connect(server.url, n)
        server_threads = threading.active_count() - before
        latencies = []
        for k in range(TICKS[n] + 2):  # the first two are warm-up
            server.broadcast({"k": k, "t": time.monotonic()})
            latest = workers.wait_tick(k)
            if k >= 2:
                latencies.append(latest)
    finally:
        server.stop()
    if not workers.disconnected():
        raise TimeoutError("some clients never saw their disconnect")
    return {"stats": m.stats(latencies), "server_threads": server_threads / n,
            "client_threads": client_threads / n}


def main() -> None:
    """Run both parts and print their tables."""
    began = time.perf_counter()
    rows = []
    for flag in (True, False):
        runs = [throughput(flag) for _ in range(3)]
        rates = [r for r, _ in runs]
        rows.append((f"async_handlers={flag}", N_EVENTS, statistics.median(rates), min(rates),
                     max(rates), max(p for _, p in runs)))
    m.print_table(
        "throughput, one client -> server in one process, acked events (3 runs each)",
        ("server setting", "events/run", "median (events/s)", "min (events/s)",
         "max (events/s)", "peak threads"),
        rows,
    )

    workers = Workers(WORKERS)
    try:
        rows = []
        for server_cls in (ThreadingServer, ThreadingNoDelayServer, AsgiServer):
            for n in FANOUT_SIZES:
                r = fanout(server_cls, workers, n)
                s = r["stats"]
                threads = (f"{r['server_threads']:.1f} + {r['client_threads']:.1f}"
                           if issubclass(server_cls, ThreadingServer) else
                           f"{r['server_threads']:.2f} + {r['client_threads']:.1f}")
                rows.append((server_cls.label, n, s.n, s.median_ms, s.min_ms, s.max_ms,
                             1000 * s.median_ms / n, threads))
    finally:
        workers.close()
    m.print_table(
        f"broadcast fan-out: emit -> last of N clients received ({WORKERS} client processes, "
        f"load average {os.getloadavg()[0]:.1f})",
        ("server", "clients N", "broadcasts", "median (ms)", "min (ms)", "max (ms)",
         "median per client (us)", "threads/client: server + client side"),
        rows,
    )
    print(f"total run time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
