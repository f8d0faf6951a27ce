"""The Socket.IO Admin UI, vendored, served by the kit's own Flask app, and its server side.

The `Socket.IO Admin UI <https://socket.io/docs/v4/admin-ui/>`_ is the official monitoring
page of Socket.IO: it lists a server's connected clients, their transports, rooms and
events. python-socketio speaks its protocol since 5.10 (``Server.instrument()``); the page
itself is the ``ui/dist`` folder of the npm package ``@socket.io/admin-ui``, vendored in
``static/`` with its fonts and icons (see ``VENDORED.md``), so that nothing loads from a CDN.

Two calls, as a project would make them:

- :func:`blueprint` serves the page from your Flask app, at ``/admin-ui/`` by default
  (``app.register_blueprint(blueprint())``);
- :func:`instrument` turns the monitoring on for your ``SocketIO`` with a username and a
  random password (python-socketio's own ``socketio.server.instrument(auth=...)``, plus a
  clean way to turn it off again, which python-socketio does not fully provide).

In the page, type the server's URL (``http://127.0.0.1:<port>``, without ``/admin``: the UI
adds the ``/admin`` namespace itself), the username and the password. The page's bundled
client is a Socket.IO 4.x client (``EIO=4``), so it talks to Flask-SocketIO 5.x; served from
the same server, its ``Origin`` is the server's own, which the default
``cors_allowed_origins`` (same origin) already accepts.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ADMIN_UI_VERSION", "AdminUI", "STATIC", "blueprint", "instrument"]

#: The vendored ``@socket.io/admin-ui`` version (its ``ui/dist`` is in :data:`STATIC`).
ADMIN_UI_VERSION = "0.5.1"
#: The folder holding the page (``index.html``), its scripts, styles, fonts and icons.
STATIC = Path(__file__).resolve().parent / "static"

_lock = threading.Lock()
_active: list["AdminUI"] = []


def blueprint(url_prefix: str = "/admin-ui", name: str = "admin_ui"):
    """A Flask blueprint that serves the vendored Admin UI page and its files.

    :param url_prefix: where the page lives on your app (default ``"/admin-ui"``: the page
        is ``/admin-ui/``, its files ``/admin-ui/js/...``). The page's links are relative, so
        any prefix works, behind jupyter-server-proxy too.
    :param name: the blueprint's name (change it to register two on one app).
    :returns: a :class:`flask.Blueprint`; register it with ``app.register_blueprint(bp)``.

    Example::

        app.register_blueprint(blueprint())
        # open http://127.0.0.1:<port>/admin-ui/
    """
    from flask import Blueprint, send_from_directory

    bp = Blueprint(name, __name__, url_prefix=url_prefix, static_folder=str(STATIC),
                   static_url_path="")

    @bp.route("/")
    def index():
        return send_from_directory(STATIC, "index.html")

    return bp


@dataclass
class AdminUI:
    """The Admin UI's server side on one ``SocketIO``, made by :func:`instrument`.

    :ivar username: the login name to type into the page.
    :ivar password: the password to type into the page (random unless given).
    :ivar namespace: the namespace the page connects to (``"/admin"``).
    :ivar mode: ``"development"`` (every event, room change and emit is reported) or
        ``"production"`` (connections and server statistics only).
    :ivar instrumented: python-socketio's ``socketio.admin.InstrumentedServer``.
    """

    username: str
    password: str = field(repr=False)
    namespace: str
    mode: str
    instrumented: object = field(repr=False)
    closed: bool = False

    @property
    def auth(self) -> dict:
        """The ``auth`` payload the page sends: ``{"username": ..., "password": ...}``."""
        return {"username": self.username, "password": self.password}

    def close(self) -> None:
        """Turn the monitoring off again and stop its statistics task. Safe to repeat.

        python-socketio's ``InstrumentedServer.uninstrument()`` restores the methods it
        patched (on this server, and on Engine.IO's ``Socket`` class for the whole process),
        but leaves its own Engine.IO connect/disconnect handlers and the ``/admin``
        namespace in place, and never stops the task that emits ``server_stats``; this
        does all of it. The task ends by itself within ``server_stats_interval`` seconds.
        """
        with _lock:
            if self.closed:
                return
            self.closed = True
            if self in _active:
                _active.remove(self)
        inst = self.instrumented
        sio = inst.sio
        if inst.stop_stats_event is not None:
            inst.stop_stats_event.set()  # not joined: it sleeps up to server_stats_interval
        inst.stats_task = None
        inst.uninstrument()
        sio.eio.on("connect", sio._handle_eio_connect)
        sio.eio.on("disconnect", sio._handle_eio_disconnect)
        sio.handlers.pop(self.namespace, None)


def instrument(socketio, *, username: str = "admin", password: str | None = None,
               mode: str = "development", read_only: bool = False,
               server_stats_interval: float = 2, namespace: str = "/admin") -> AdminUI:
    """Turn on the Admin UI's server side for a Flask-SocketIO ``socketio``, with a password.

    The same as ``socketio.server.instrument(auth={"username": ..., "password": ...},
    mode=..., read_only=..., server_stats_interval=...)`` (python-socketio's
    ``Server.instrument``), plus the kit's bookkeeping: python-socketio patches Engine.IO's
    ``Socket`` class for the whole process, so only one server per process should be
    instrumented at a time; calling this again (a re-run cell) first closes the one
    instrumented before.

    :param socketio: a :class:`flask_socketio.SocketIO` with its server created
        (``SocketIO(app, ...)`` or after ``init_app``).
    :param username: the login name (default ``"admin"``).
    :param password: the password; default: a new random one (``secrets.token_urlsafe``).
        Never leave the page without one (``auth=False``) outside a throw-away sandbox.
    :param mode: ``"development"`` (default, python-socketio's too) reports every event,
        room change and emit, at a cost on every emit; ``"production"`` reports
        connections and the statistics only.
    :param read_only: ``True`` hides the page's buttons that join, leave and disconnect.
    :param server_stats_interval: seconds between two ``server_stats`` messages (default 2).
    :param namespace: the namespace the page connects to (default ``"/admin"``).
    :returns: an :class:`AdminUI` (``.username``, ``.password``, ``.close()``).
    """
    password = password or secrets.token_urlsafe(12)
    with _lock:
        previous = list(reversed(_active))
    for handle in previous:
        handle.close()
    inst = socketio.server.instrument(
        auth={"username": username, "password": password}, mode=mode, read_only=read_only,
        namespace=namespace, server_stats_interval=server_stats_interval)
    handle = AdminUI(username=username, password=password, namespace=namespace, mode=mode,
                     instrumented=inst)
    with _lock:
        _active.append(handle)
    return handle
