"""The live chart: a line per series (one per CPU core, say), fed by events as they arrive."""

from __future__ import annotations

import bisect
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterable, Mapping

import ipywidgets as widgets
import numpy as np

with warnings.catch_warnings():
    # bqscales 0.3 declares a trait the pre-4.1 traitlets way; harmless, but under
    # pytest's filterwarnings=error the import itself would fail.
    warnings.filterwarnings("ignore", message="metadata .* was set from the constructor",
                            category=DeprecationWarning)
    import bqplot

__all__ = ["LiveChart"]

# matplotlib's "tab10", so that series keep the colours learners know from pyplot.
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


class LiveChart(widgets.VBox):
    """A line chart that updates in place as points arrive, safe to feed from handler threads.

    One bqplot ``Figure`` is drawn once; each :meth:`append` re-assigns the ``x``/``y`` arrays
    of the changed series' ``Lines`` mark, which sends just those arrays to the browser. Each
    series keeps its newest ``window`` points, so the chart scrolls. A series appears the
    first time :meth:`append` names it (or up front, with ``series``).

    Feed it from a client's event handler (see
    https://python-socketio.readthedocs.io/en/latest/client.html#defining-event-handlers)::

        chart = LiveChart(title="CPU per core", y_label="%", y_range=(0, 100))
        display(chart)

        @client.on("cpu")
        def on_cpu(data):              # {"t": 3.0, "cores": {"cpu0": 12.5, "cpu1": 40.0}}
            chart.append(data["t"], data["cores"])

    :param series: names of series to create up front, in legend order (default none).
    :param window: newest points kept per series (default 60).
    :param title: title above the plot.
    :param x_label: x axis label (default ``"time (s)"``).
    :param y_label: y axis label.
    :param y_range: fixed ``(min, max)`` of the y axis, e.g. ``(0, 100)`` for percentages;
        ``None`` (default) fits the data.
    :param height: plot height in CSS pixels (default 300).
    :raises ValueError: if ``window`` is less than 2.
    """

    def __init__(self, series: Iterable[str] = (), *, window: int = 60, title: str = "",
                 x_label: str = "time (s)", y_label: str = "",
                 y_range: tuple[float, float] | None = None, height: int = 300):
        if window < 2:
            raise ValueError(f"window must be at least 2 points, not {window}")
        self.window = window
        self._title = title
        self._lock = threading.Lock()
        self._data: dict[str, deque] = {}
        self._t0 = time.monotonic()
        self._x_scale = bqplot.LinearScale()
        low, high = y_range if y_range is not None else (None, None)
        self._y_scale = bqplot.LinearScale(min=low, max=high)
        axes = [bqplot.Axis(scale=self._x_scale, label=x_label, grid_lines="none"),
                bqplot.Axis(scale=self._y_scale, label=y_label, side="left", grid_lines="dashed")]
        self.figure = bqplot.Figure(
            marks=[], axes=axes, title=title, legend_location="top-left",
            fig_margin={"top": 40 if title else 20, "bottom": 40, "left": 50, "right": 20},
            layout=widgets.Layout(width="100%", height=f"{height}px"),
        )
        #: the ``Lines`` mark of each series, by name (the same objects for the chart's life).
        self.lines: dict[str, bqplot.Lines] = {}
        super().__init__([self.figure])
        for name in series:
            self._add_series(name)

    # -- public ---------------------------------------------------------------------------
    def append(self, x: float | None, values: Mapping[str, float]) -> None:
        """Add one point to each named series and redraw them. Thread-safe.

        :param x: the x value, e.g. seconds since the start; ``None`` for seconds since
            the chart was created (``time.monotonic()``). A point that arrives late, with
            a smaller x than the last one, is put in its place: points stay in x order.
        :param values: ``{series name: y}``; unknown names add a series, ``None`` values
            are skipped.
        :returns: ``None``.
        :raises ValueError: if a value cannot be converted to ``float``.
        """
        x = time.monotonic() - self._t0 if x is None else float(x)
        points = {str(name): float(y) for name, y in values.items() if y is not None}
        with self._lock:
            for name, y in points.items():
                if name not in self._data:
                    self._add_series(name)
                data = self._data[name]
                if data and x < data[-1][0]:
                    # python-socketio's threaded client runs each event's handler in a
                    # thread of its own, so two events can be handled out of order: keep
                    # the points in x order, or the line would zig-zag back in time.
                    ordered = list(data)
                    bisect.insort(ordered, (x, y))
                    data.clear()
                    data.extend(ordered)  # the deque keeps the newest ``window``
                else:
                    data.append((x, y))
                xs, ys = np.array(data, dtype=float).reshape(-1, 2).T
                mark = self.lines[name]
                with mark.hold_sync():  # one message: the browser never sees x and y differ
                    mark.x, mark.y = xs, ys

    def clear(self) -> None:
        """Remove every point (the series stay, empty)."""
        with self._lock:
            for name, data in self._data.items():
                data.clear()
                mark = self.lines[name]
                with mark.hold_sync():
                    mark.x, mark.y = np.empty(0), np.empty(0)

    @property
    def series(self) -> list[str]:
        """The series names, in legend order."""
        with self._lock:
            return list(self._data)

    @property
    def points(self) -> dict[str, list[tuple[float, float]]]:
        """A copy of the points currently shown: ``{series name: [(x, y), ...]}``, in x
        order, at most ``window`` per series."""
        with self._lock:
            return {name: list(data) for name, data in self._data.items()}

    def __repr__(self) -> str:
        # nbval compares text/plain; bqplot's repr would list every point of every series.
        return f"<LiveChart: {self._title or 'live chart'}>"

    # -- internals ------------------------------------------------------------------------
    def _add_series(self, name: str) -> None:
        color = PALETTE[len(self._data) % len(PALETTE)]
        mark = bqplot.Lines(x=np.empty(0), y=np.empty(0), labels=[name], colors=[color],
                            display_legend=True, stroke_width=1.5,
                            scales={"x": self._x_scale, "y": self._y_scale})
        self._data[name] = deque(maxlen=self.window)
        self.lines[name] = mark
        self.figure.marks = [*self.figure.marks, mark]
