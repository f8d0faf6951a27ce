"""Plumbing for notebook 11 (performance) and its appendix: charts and test rigs.

The notebooks teach the measurements; the drawing and the machinery that runs an ASGI
server inside a kernel live here, so that the lessons stay short. Everything binds
127.0.0.1 and every wait has a timeout.

- :func:`histogram`: a bqplot histogram of round-trip times with the median and p99 marked;
- :class:`FanOut`: connected clients that time how long a broadcast takes to reach all;
- :class:`UvicornThread`: uvicorn serving an ASGI app on a thread of the kernel.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Callable

import _measure as m

__all__ = ["FanOut", "UvicornThread", "histogram"]


def histogram(title: str, durations: list[float], bins: int = 40):
    """A bqplot histogram of ``durations`` with their median and p99 drawn as lines.

    The x axis runs from 0 to 1.5 times the p99; slower samples are piled into the last
    bar, so that a few outliers do not squash the chart.

    :param title: the chart's title; the median and p99 are appended to it.
    :param durations: the measured durations, in seconds.
    :param bins: how many bars.
    :returns: a ``bqplot.Figure``.
    """
    import bqplot
    import ipywidgets as widgets
    import numpy as np

    us = np.array(durations) * 1e6                       # seconds -> microseconds
    median, p99 = np.median(us), m.percentile(list(us), 99)
    counts, edges = np.histogram(np.minimum(us, p99 * 1.5), bins=bins, range=(0, p99 * 1.5))
    x, y = bqplot.LinearScale(min=0), bqplot.LinearScale(min=0)
    bars = bqplot.Bars(x=(edges[:-1] + edges[1:]) / 2, y=counts, scales={"x": x, "y": y})
    lines = bqplot.Lines(x=[[median, median], [p99, p99]], y=[[0, counts.max()]] * 2,
                         scales={"x": x, "y": y}, colors=["#2ca02c", "#d62728"],
                         labels=["median", "p99"], display_legend=True)
    return bqplot.Figure(
        marks=[bars, lines], title=f"{title}: median {median:.0f} µs, p99 {p99:.0f} µs",
        axes=[bqplot.Axis(scale=x, label="round trip (µs)"),
              bqplot.Axis(scale=y, orientation="vertical")],
        legend_location="top-right", layout=widgets.Layout(height="240px"))


class FanOut:
    """Connected python-socketio clients that count the arrivals of each broadcast.

    Each client's ``tick`` handler counts arrivals under a lock; the one that completes
    the count sets an ``Event``, so :meth:`time_broadcast` waits without polling.

    :ivar clients: the connected ``socketio.Client`` objects.
    """

    def __init__(self):
        import socketio

        self._client_class = socketio.Client
        self.clients: list = []
        self.lock = threading.Lock()
        self.all_in = threading.Event()
        self.arrived = 0

    def on_tick(self, data) -> None:
        with self.lock:
            self.arrived += 1
            if self.arrived == len(self.clients):
                self.all_in.set()

    def grow_to(self, n: int, url: str) -> float:
        """Connect clients (WebSocket only) until there are ``n``.

        Threads are counted as a set difference, the threads alive after connecting that
        were not alive before: ``threading.active_count()`` would be fooled by older
        threads ending meanwhile (the sleeping ping tasks of earlier connections).

        :returns: how many threads each new client added to this process, on average
            (client and server side, when the server runs in the same process).
        """
        before = set(threading.enumerate())
        added = n - len(self.clients)
        for _ in range(added):
            client = self._client_class(reconnection=False)
            client.on("tick", self.on_tick)
            client.connect(url, transports=["websocket"])
            self.clients.append(client)
        return len(set(threading.enumerate()) - before) / added

    def time_broadcast(self, broadcast: Callable[[], object], timeout: float = 5.0) -> float:
        """Call ``broadcast()`` and wait until every client received one ``tick``.

        :returns: the time from the call until the last client's handler ran, in seconds.
        :raises TimeoutError: if not every client got it within ``timeout`` seconds.
        """
        with self.lock:
            self.arrived = 0
            self.all_in.clear()
        started = time.perf_counter()
        broadcast()
        if not self.all_in.wait(timeout=timeout):
            raise TimeoutError(f"only {self.arrived} of {len(self.clients)} clients got the broadcast")
        return time.perf_counter() - started


class UvicornThread:
    """uvicorn serving ``asgi_app`` on a thread of this process, with its own event loop.

    uvicorn normally owns the program's main thread. Here it gets a thread and a listening
    socket bound beforehand on 127.0.0.1, port 0: the URL is known at once, and clients
    that connect before uvicorn is ready wait in the socket's backlog. Other threads hand
    coroutines to its loop with :meth:`run` (``asyncio.run_coroutine_threadsafe``).

    :ivar url: ``http://127.0.0.1:<port>``.
    """

    def __init__(self, asgi_app):
        import uvicorn

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(asgi_app, ws="wsproto", lifespan="off", log_config=None,
                                log_level="warning", access_log=False)
        self.server, self.loop = uvicorn.Server(config), asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete,
                                       args=(self._serve(),), daemon=True, name="uvicorn")
        self.thread.start()

    async def _serve(self) -> None:
        await self.server.serve(sockets=[self.sock])
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:                  # the connections' ping tasks outlive them
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def run(self, coroutine, timeout: float = 5.0):
        """Run ``coroutine`` on the server's loop from any thread; return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self, sio) -> None:
        """Disconnect every client of ``sio`` (an ``AsyncServer``), then stop uvicorn."""
        async def disconnect_all():
            for sid, _ in list(sio.manager.get_participants("/", None)):
                await sio.disconnect(sid)
        self.run(disconnect_all())
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.loop.close()
