"""How often does a python-socketio client lose its connection over ``wss://`` for no reason?

The threaded ``socketio.Client`` reads its WebSocket in one thread (Engine.IO's
``_read_loop_websocket``) and writes it from another (``_write_loop``), on one
``ssl.SSLSocket``. OpenSSL does not support one connection being used by two threads at
the same time (``openssl-threads(7)``: "most objects are not safe for simultaneous use"),
and now and then the reader's ``recv`` returns nothing: websocket-client reports
"Connection to remote host was lost", Engine.IO logs "WebSocket connection was closed,
aborting" and the connection drops, while nginx and the server saw nothing wrong. Reported
upstream as python-socketio #1568 and python-engineio #461.

The window is a write right after a read, so each cycle here is the pattern that opens it
most often: connect, then ``CALLS`` acknowledged ``say`` events in a row, each emitted as
soon as the previous ack arrived. A cycle ends early when the client's ``disconnect``
handler runs. Clients, in interleaved rounds, all through the same nginx (TLS at nginx, as
in lesson 10) to one gunicorn (threading, ``-w 1 --threads 100``):

- ``Client`` over ``wss://`` (the case above);
- ``Client`` over ``ws://`` (the same nginx, a second ``listen`` without TLS): no TLS, no race;
- ``Client`` with ``transports=["polling"]`` over ``https://``: every HTTP request has a
  connection of its own from requests' pool, never used by two threads at once;
- ``AsyncClient`` over ``wss://`` (aiohttp): one thread, one event loop, no simultaneous use.

The race needs two threads inside OpenSSL at the same moment, so it shows more on a busy
machine: ``--busy N`` (default 2) runs N busy-looping processes beside it. Every wait has a
timeout and every loop a count. Needs ``.venv-deploy`` (``make venv``) and nginx.

Usage: ``.venv/bin/python benchmarks/bench_wss_client.py [--cycles 60] [--busy 2]``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import ssl
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _measure as m  # noqa: E402

CALLS = 20          # acknowledged events per connection
TIMEOUT = 5.0       # s, bound on any single wait (connect, one ack)
LOCATIONS_EXTRA = "proxy_set_header X-Forwarded-Host $host:$server_port;"


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def sync_cycle(url: str, session, transports: list[str] | None) -> tuple[int, bool]:
    """One connection of the threaded ``socketio.Client``: connect, then ``CALLS`` acks in a row.

    :param url: the proxy's address (``https://`` or ``http://``).
    :param session: a ``requests.Session`` trusting the lesson's CA, or ``None``.
    :param transports: passed to ``connect`` (``None``: polling, then the upgrade).
    :returns: ``(acks, dropped)``: how many acks arrived, and whether the connection
        dropped (connect failed, or the ``disconnect`` handler ran before the last ack).
    """
    import socketio

    client = socketio.Client(http_session=session, reconnection=False)
    gone = threading.Event()
    client.on("disconnect", lambda *reason: gone.set())
    try:
        client.connect(url, auth={"user": "bench"}, transports=transports,
                       wait_timeout=TIMEOUT)
    except socketio.exceptions.ConnectionError:
        return 0, True
    acks = 0
    try:
        for i in range(CALLS):
            got = threading.Event()
            client.emit("say", f"n{i}", callback=lambda *_: got.set())
            deadline = time.monotonic() + TIMEOUT
            while not got.is_set() and not gone.is_set() and time.monotonic() < deadline:
                got.wait(0.01)
            if not got.is_set():
                return acks, True
            acks += 1
        return acks, False
    finally:
        client.disconnect()


def async_cycle(url: str, ca: str) -> tuple[int, bool]:
    """The same cycle with ``socketio.AsyncClient`` (aiohttp, trusting ``ca``) in a fresh loop.

    :param url: the proxy's ``https://`` address.
    :param ca: the CA file (PEM) to trust.
    :returns: ``(acks, dropped)``, as :func:`sync_cycle`.
    """
    import aiohttp
    import socketio

    async def run() -> tuple[int, bool]:
        context = ssl.create_default_context(cafile=ca)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as http:
            client = socketio.AsyncClient(http_session=http, reconnection=False)
            try:
                await client.connect(url, auth={"user": "bench"}, wait_timeout=TIMEOUT)
            except socketio.exceptions.ConnectionError:
                return 0, True
            acks = 0
            try:
                for i in range(CALLS):
                    try:
                        await client.call("say", f"n{i}", timeout=TIMEOUT)
                    except socketio.exceptions.TimeoutError:
                        return acks, True
                    acks += 1
                return acks, False
            finally:
                await client.disconnect()

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=60,
                        help="connections per client kind (default 60)")
    parser.add_argument("--busy", type=int, default=2,
                        help="busy-looping processes beside the run (default 2)")
    args = parser.parse_args()

    from server.deploy import start_gunicorn
    from server.nginx import docs_locations, start_nginx
    from server.tls import make_certificates, trusting_session

    locations = docs_locations("http://chat").replace(
        "include proxy_params;", "include proxy_params;\n    " + LOCATIONS_EXTRA)
    workdir = tempfile.TemporaryDirectory(prefix="bench-wss-")
    certs = make_certificates(workdir.name)
    chat = start_gunicorn("-w", "1", "--threads", "100",
                          env={"CHAT_ASYNC_MODE": "threading"}, key="bench-wss:chat")
    tls = start_nginx(locations, upstream_ports=[chat.port], tls=(certs.cert, certs.key),
                      key="bench-wss:tls")
    plain = start_nginx(locations, upstream_ports=[chat.port], key="bench-wss:plain")
    kinds = {
        "Client, wss://": lambda: sync_cycle(tls.url, trusting_session(certs.ca), None),
        "Client, ws:// (no TLS)": lambda: sync_cycle(plain.url, None, None),
        "Client, polling only, https://":
            lambda: sync_cycle(tls.url, trusting_session(certs.ca), ["polling"]),
        "AsyncClient, wss://": lambda: async_cycle(tls.url, str(certs.ca)),
    }
    totals = {name: [0, 0, 0.0] for name in kinds}  # acks, drops, seconds
    busy = [mp.Process(target=_busy, args=(3600,), daemon=True) for _ in range(args.busy)]
    for p in busy:
        p.start()
    try:
        for _ in range(args.cycles):
            for name, cycle in kinds.items():  # interleaved: each kind sees the same load
                t0 = time.perf_counter()
                acks, dropped = cycle()
                totals[name][0] += acks
                totals[name][1] += dropped
                totals[name][2] += time.perf_counter() - t0
    finally:
        for p in busy:
            p.terminate()
        plain.stop()
        tls.stop()
        chat.stop()
        workdir.cleanup()
    rows = [(name, args.cycles, acks, drops, round(100 * drops / args.cycles, 1), seconds)
            for name, (acks, drops, seconds) in totals.items()]
    m.print_table(f"{args.cycles} connections x {CALLS} acked events each, {args.busy} busy "
                  f"loops, load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores",
                  ("client", "connections", "acks", "dropped", "dropped (%)", "time (s)"), rows)


if __name__ == "__main__":
    main()
