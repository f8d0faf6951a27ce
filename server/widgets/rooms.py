"""The rooms view: which sids are in which rooms, read live from the server's own state."""

from __future__ import annotations

import functools
import threading
import weakref

import ipywidgets as widgets

from ._base import CELL_STYLE, TABLE_STYLE, esc

__all__ = ["RoomsView"]

PERSONAL_COLOR = "#8c959f"  # a client's own room, named by its sid
UNNAMED = "(unnamed)"

# The manager methods that change ``manager.rooms``. Every room change of the stock
# ``socketio.Manager`` (and of the pub/sub managers built on it) goes through one of them:
# enter_room/leave_room/close_room/disconnect call the basic_* ones, connect calls pre_connect.
_MUTATORS = ("pre_connect", "basic_enter_room", "basic_leave_room", "basic_close_room",
             "basic_disconnect")


def _watch_manager(manager) -> list:
    """Wrap ``manager``'s mutators (once per manager) to call listeners after each change.

    Event-driven rather than polled: a poll either misses a join followed by a leave
    between two ticks, or costs a thread that wakes up forever, even when nothing happens.
    The wrappers run in the handler thread that called ``join_room()``; a thread-local depth
    counter makes a ``disconnect`` that leaves five rooms redraw once, not five times.
    Returns the manager's list of listeners (weak references to bound methods).
    """
    listeners = getattr(manager, "_kit_room_listeners", None)
    if listeners is not None:
        return listeners
    listeners = manager._kit_room_listeners = []
    depth = threading.local()

    def wrap(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            depth.n = getattr(depth, "n", 0) + 1
            try:
                return method(*args, **kwargs)
            finally:
                depth.n -= 1
                if depth.n == 0:
                    for ref in list(listeners):
                        callback = ref()
                        if callback is not None:
                            try:
                                callback()
                            except Exception:  # a view must never break join_room()
                                pass
        return wrapper

    for name in _MUTATORS:
        setattr(manager, name, wrap(getattr(manager, name)))
    return listeners


class RoomsView(widgets.HTML):
    """A live table of the server's rooms: namespace, room, and the clients in it.

    It reads the server's own bookkeeping (python-socketio's client manager,
    ``socketio.server.manager``), so what you see is what ``emit(..., to=room)`` would reach.
    It redraws right after each ``join_room``, ``leave_room``, ``close_room``, connect and
    disconnect, from the thread that made the change. Every client is also in a personal
    room named by its sid; those rows are hidden unless ``show_personal`` is ``True``, and
    then greyed. See https://flask-socketio.readthedocs.io/en/latest/getting_started.html#rooms

    :param socketio: the :class:`flask_socketio.SocketIO` extension (or a ``socketio.Server``).
    :param namespace: show only this namespace, e.g. ``"/chat"``; ``None`` (default) for all.
    :param show_personal: also show each client's personal room (default ``False``).
    :param title: caption above the table (default ``"Rooms"``).
    :raises TypeError: if ``socketio`` has no python-socketio server (``SocketIO()`` created
        without an app and ``init_app`` not called yet).

    Example::

        rooms = RoomsView(socketio).label(alice_rec).label(bob_rec)
        display(rooms)
        alice.emit("join", {"room": "lobby"})
        print(rooms.snapshot())   # {'/': {'lobby': ['alice']}}
    """

    def __init__(self, socketio, namespace: str | None = None, show_personal: bool = False,
                 title: str = "Rooms"):
        super().__init__()
        server = getattr(socketio, "server", socketio)
        if getattr(server, "manager", None) is None:
            raise TypeError(
                f"{socketio!r} has no python-socketio server yet: pass the SocketIO object "
                "after `SocketIO(app, async_mode='threading')` or `socketio.init_app(app)`."
            )
        self.manager = server.manager
        self.namespace = namespace
        self._title = title
        self._show_personal = show_personal
        self._labels: dict[str, str] = {}          # sid -> name
        self._clients: list[tuple[object, str]] = []  # (client or recorder, name)
        self._lock = threading.Lock()
        self._listener = weakref.WeakMethod(self.refresh)
        _watch_manager(self.manager).append(self._listener)
        self.refresh()

    # -- public ---------------------------------------------------------------------------
    def label(self, who, name: str | None = None) -> "RoomsView":
        """Show a client under a name instead of its sid.

        :param who: a sid (``str``), a :class:`server.recorder.Recorder`, a
            ``socketio.Client`` or a ``socketio.SimpleClient``. For a client or recorder the
            name follows its sid in every namespace (``client.get_sid(namespace)``), across
            reconnections too.
        :param name: the name to show, e.g. ``"alice"``; defaults to the recorder's name.
        :returns: the view, for chaining.
        :raises ValueError: if no name is given and ``who`` is not a recorder.
        """
        name = name or getattr(who, "name", None)
        if not isinstance(name, str) or not name:
            raise ValueError(f"label({who!r}) needs a name, e.g. label(sid, 'alice')")
        with self._lock:
            if isinstance(who, str):
                self._labels[who] = name
            else:
                self._clients.append((who, name))  # resolved when drawn: see _read_locked
                # The client learns its sid after the server's room change was drawn: redraw
                # when its recorder sees the connect event.
                if hasattr(who, "add_listener"):
                    who.add_listener(self._on_client_event)
        self.refresh()
        return self

    @property
    def show_personal(self) -> bool:
        """Whether personal rooms (named by a sid) are shown, greyed. Settable."""
        return self._show_personal

    @show_personal.setter
    def show_personal(self, value: bool) -> None:
        self._show_personal = bool(value)
        self.refresh()

    def snapshot(self) -> dict:
        """The rooms as plain data without sids, stable enough to print under nbval.

        Only named rooms are listed: personal rooms, and python-socketio's internal room
        of everyone connected, are left out. Members are labels (see :meth:`label`), sorted;
        a client without a label shows as ``"(unnamed)"``.

        :returns: ``{namespace: {room: [label, ...]}}``, namespaces and rooms sorted, e.g.
            ``{'/': {'lobby': ['alice', 'bob']}}``; a namespace with clients but no named
            room maps to ``{}``.
        """
        rooms, names = self._read()
        return {
            ns: {room: sorted(names.get(sid, UNNAMED) for sid in members)
                 for room, members in _named_rooms(ns_rooms)}
            for ns, ns_rooms in rooms
        }

    def refresh(self) -> None:
        """Re-read the server's rooms and redraw. Thread-safe; called after each change."""
        with self._lock:
            rooms, names = self._read_locked()
            self.value = self._render(rooms, names)

    def close(self) -> None:
        """Stop following the server and close the widget."""
        listeners = getattr(self.manager, "_kit_room_listeners", [])
        if self._listener in listeners:
            listeners.remove(self._listener)
        super().close()

    def __repr__(self) -> str:
        # nbval compares a widget's text/plain; keep it constant, whatever the rooms are.
        return f"<RoomsView: {self._title}>"

    # -- internals ------------------------------------------------------------------------
    def _on_client_event(self, rec) -> None:
        if rec.event in ("connect", "disconnect") and rec.direction == "in":
            self.refresh()

    def _read(self):
        with self._lock:
            return self._read_locked()

    def _read_locked(self):
        """(sorted [(namespace, {room: [sid]})], {sid: name}) copied from the manager."""
        for attempt in range(20):
            try:
                rooms = {
                    ns: {room: list(members) for room, members in ns_rooms.copy().items()}
                    for ns, ns_rooms in self.manager.rooms.copy().items()
                    if self.namespace is None or ns == self.namespace
                }
                break
            except RuntimeError:  # a handler thread changed a room while we copied it
                if attempt == 19:
                    raise
        names = {}
        for who, name in self._clients:
            # A SimpleClient creates its Client only in connect(); a Recorder has one.
            client = getattr(who, "client", who)
            for sid in list((getattr(client, "namespaces", None) or {}).values()):
                if sid:
                    names[sid] = name
        names.update(self._labels)
        return sorted(rooms.items()), names

    def _render(self, rooms, names) -> str:
        def who(sids):  # named clients first, alphabetically; then bare sids, greyed
            ordered = sorted(sids, key=lambda s: (s not in names, names.get(s, s)))
            return ", ".join(esc(names[s]) if s in names else
                             f"<span style='color:{PERSONAL_COLOR}'>{esc(s)}</span>"
                             for s in ordered) or "–"

        rows = []
        for ns, ns_rooms in rooms:
            everyone = ns_rooms.get(None, [])
            rows.append((ns, "<i>everyone connected</i>", who(everyone), None))
            rows += [(ns, esc(room), who(members), None)
                     for room, members in _named_rooms(ns_rooms)]
            if self._show_personal:
                for sid in sorted(everyone, key=lambda s: names.get(s, s)):
                    owner = f" ({esc(names[sid])}'s own room)" if sid in names else " (own room)"
                    rows.append((ns, f"{esc(sid)}{owner}", who(ns_rooms.get(sid, [])),
                                 PERSONAL_COLOR))
        head = "".join(f"<th style='{CELL_STYLE}'>{h}</th>"
                       for h in ("namespace", "room", "members"))
        body = "".join(
            "<tr>" + "".join(
                f"<td style='{CELL_STYLE}{f';color:{color}' if color else ''}'>{cell}</td>"
                for cell in (esc(ns), room, members)
            ) + "</tr>"
            for ns, room, members, color in rows
        ) or f"<tr><td style='{CELL_STYLE}' colspan='3'><i>no client connected</i></td></tr>"
        return (f"<b>{esc(self._title)}</b><table style='{TABLE_STYLE}'>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _named_rooms(ns_rooms: dict):
    """The rooms a notebook created with join_room: not None (everyone), not a sid's own."""
    everyone = ns_rooms.get(None, {})
    return sorted(((room, members) for room, members in ns_rooms.items()
                   if room is not None and room not in everyone),
                  key=lambda item: str(item[0]))
