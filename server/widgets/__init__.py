"""Live views of Socket.IO traffic, safe to feed from handler threads."""

from .card import ConnectionCard
from .eventlog import EventLog

__all__ = ["ConnectionCard", "EventLog"]
