"""Live views of Socket.IO traffic, safe to feed from handler threads."""

from .card import ConnectionCard
from .eventlog import EventLog
from .packets import PacketInspector
from .rooms import RoomsView

__all__ = ["ConnectionCard", "EventLog", "LiveChart", "PacketInspector", "RoomsView"]


def __getattr__(name: str):
    # LiveChart needs bqplot, whose import (with pandas) takes about 0.3 s: pay it only in
    # the notebooks that draw a chart.
    if name == "LiveChart":
        from .chart import LiveChart

        return LiveChart
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
