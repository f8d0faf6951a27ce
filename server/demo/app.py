"""The classic Flask-SocketIO demo app, as an app factory.

The page at ``/`` (``templates/index.html`` + ``static/demo.js``) has one control per event
below. Every reply is a ``my_response`` event with two fields: ``data``, the text to show,
and ``count``, how many events this connection has sent so far.

Why the handlers are registered inside :func:`create_app` instead of on a module-level
``socketio = SocketIO()``: ``init_app()`` gives a ``SocketIO`` object a new server each time
it is called, so one module-level object can serve only the app created last. A fresh
``SocketIO`` per app lets a notebook (or a test) create, serve and stop as many apps as it
likes. ``app.extensions["socketio"]`` is the app's ``SocketIO`` object.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, render_template, request, session
from flask_socketio import (ConnectionRefusedError, SocketIO, close_room, disconnect, emit,
                            join_room, leave_room, rooms)

__all__ = ["BackgroundTask", "create_app", "stop_background_task"]

# How long the background task naps between checks for a stop request, in seconds.
NAP = 0.05


@dataclass
class BackgroundTask:
    """The app's one shared background task (``app.extensions["demo_task"]``).

    :ivar period: seconds between two "Server generated event" messages.
    :ivar lock: makes "start it unless it runs" atomic across connecting clients.
    :ivar stop_event: set by :func:`stop_background_task` to end the running task.
    :ivar thread: the running task's thread, or ``None`` if it is not running.
    """

    period: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


def create_app(test_config: dict | None = None) -> Flask:
    """Create the demo app: the page at ``/`` and its Socket.IO event handlers.

    Serve it in a notebook with :func:`server.start_server`; stop it with
    :func:`stop_background_task` then ``ServerHandle.stop()``. See Flask-SocketIO's
    "Getting Started" (https://flask-socketio.readthedocs.io/en/latest/getting_started.html).

    :param test_config: settings that override the defaults, e.g.
        ``{"BACKGROUND_TASK_PERIOD": 0.2}``. Known keys: ``SECRET_KEY`` (default: a random
        ``secrets.token_hex()`` per app), ``BACKGROUND_TASK_PERIOD`` (seconds between two
        server-generated events, default 10.0), ``CORS_ALLOWED_ORIGINS`` (default ``None``:
        only pages served by this very server may connect; or a list of origins such as
        ``["http://127.0.0.1:8888"]``), ``PAGE_KEY`` (default: a random
        ``secrets.token_urlsafe(16)`` per app; see below).
    :returns: the Flask app; its ``SocketIO`` object is ``app.extensions["socketio"]``.

    **The page key.** On a shared machine (a classroom JupyterHub) every user's servers
    listen on the same ``127.0.0.1``, and each user's jupyter-server-proxy forwards to any
    local port: without a secret, one learner could open another's demo page and drive its
    server. So the page is served only to a link that carries the app's key,
    ``/?key=<PAGE_KEY>`` (HTTP 403 otherwise), and the Socket.IO connect handler refuses a
    client whose ``auth`` is not ``{"key": <PAGE_KEY>}`` (the page sends it; a Python client
    passes ``auth=`` to ``connect()``). ``PAGE_KEY=None`` turns both checks off.

    Example::

        app = create_app({"BACKGROUND_TASK_PERIOD": 2})
        srv = start_server(app)
        # open f"{srv.url}/?key={app.config['PAGE_KEY']}" in a browser
    """
    # static/ and templates/ sit next to this file, so the page and the vendored
    # Socket.IO client (static/socket.io.min.js) are served by this app, not by a CDN.
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.from_mapping(
        # A hard-coded key ('secret!') lets anyone who reads the code forge session cookies.
        SECRET_KEY=secrets.token_hex(),
        BACKGROUND_TASK_PERIOD=10.0,
        CORS_ALLOWED_ORIGINS=None,
        # A capability in the page's link, as Jupyter's own ?token=: see the docstring.
        PAGE_KEY=secrets.token_urlsafe(16),
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.logger.setLevel(logging.INFO)  # so that connects and disconnects reach the log

    # threading: the server runs in threads of the Jupyter kernel. cors_allowed_origins=None
    # refuses pages from other sites (another origin could otherwise drive this server
    # from a learner's browser); "*" would accept any site.
    socketio = SocketIO(
        app, async_mode="threading", cors_allowed_origins=app.config["CORS_ALLOWED_ORIGINS"]
    )
    app.extensions["demo_task"] = BackgroundTask(period=float(app.config["BACKGROUND_TASK_PERIOD"]))
    register_handlers(app, socketio)

    @app.route("/")
    def index():
        if not key_matches(app, request.args.get("key")):
            return (FORBIDDEN, 403, {"Content-Type": "text/plain; charset=utf-8"})
        return render_template("index.html")

    return app


#: The body of the page's HTTP 403: what went wrong and what to do.
FORBIDDEN = ("403 Forbidden: this demo page needs its key. Open the link its notebook printed "
             "(it ends with ?key=...), or the link with app.config['PAGE_KEY'] in your own "
             "kernel. The key keeps other users of a shared machine away from your server.\n")


def key_matches(app: Flask, key: object) -> bool:
    """Whether ``key`` is the app's page key (always true when ``PAGE_KEY`` is ``None``).

    :param app: the demo app.
    :param key: what the client sent (the ``?key=`` query value or ``auth["key"]``).
    :returns: ``True`` if the client may see the page / connect.
    """
    expected = app.config.get("PAGE_KEY")
    if not expected:
        return True
    return isinstance(key, str) and secrets.compare_digest(key, expected)


def next_count() -> int:
    """Count one more event from this connection, in its Socket.IO ``session``.

    Call it inside an event handler only (it needs the request context).

    :returns: the new count: 1 for the connection's first event, then 2, 3...
    """
    # Flask-SocketIO gives each connection its own session, a copy of the HTTP session
    # taken at connect time: a counter here is per connection, not shared.
    session["receive_count"] = session.get("receive_count", 0) + 1
    return session["receive_count"]


def register_handlers(app: Flask, socketio: SocketIO) -> None:
    """Register the demo's event handlers on ``socketio`` (called by :func:`create_app`).

    See "Receiving Messages" and "Rooms" in Flask-SocketIO's "Getting Started"
    (https://flask-socketio.readthedocs.io/en/latest/getting_started.html).

    :param app: the Flask app; its ``extensions["demo_task"]`` must be set.
    :param socketio: the app's ``SocketIO`` object.
    :returns: ``None``.
    """

    @socketio.event
    def my_event(message):
        # emit() inside a handler answers the sender only.
        emit("my_response", {"data": message["data"], "count": next_count()})

    @socketio.event
    def my_broadcast_event(message):
        # broadcast=True: every client in this namespace, the sender included.
        emit("my_response", {"data": message["data"], "count": next_count()}, broadcast=True)

    @socketio.event
    def join(message):
        join_room(message["room"])
        # Rooms exist on the server only: tell the client which ones it is in now.
        emit("my_response", {"data": "In rooms: " + ", ".join(rooms()), "count": next_count()})

    @socketio.event
    def leave(message):
        leave_room(message["room"])
        emit("my_response", {"data": "In rooms: " + ", ".join(rooms()), "count": next_count()})

    @socketio.on("close_room")  # not @socketio.event: the name would hide close_room()
    def on_close_room(message):
        # Announce first: once the room is closed it has no members left to tell.
        emit(
            "my_response",
            {"data": "Room " + message["room"] + " is closing.", "count": next_count()},
            to=message["room"],
        )
        close_room(message["room"])

    @socketio.event
    def my_room_event(message):
        # to=room reaches the room's members; the sender need not be one of them.
        emit("my_response", {"data": message["data"], "count": next_count()}, to=message["room"])

    @socketio.event
    def disconnect_request():
        def can_disconnect(*ack_args):
            disconnect()

        # Disconnecting right away could cut the connection before this last message is
        # delivered. callback= asks the client to acknowledge it; the callback runs then.
        emit("my_response", {"data": "Disconnected!", "count": next_count()},
             callback=can_disconnect)

    @socketio.event
    def my_ping():
        # The page times the round trip my_ping -> my_pong to show the latency.
        emit("my_pong")

    @socketio.event
    def connect(auth):
        # Refused before anything else: the client gets a connect_error with this message.
        if not key_matches(app, (auth or {}).get("key") if isinstance(auth, dict) else None):
            raise ConnectionRefusedError("this demo app needs its page key: connect with "
                                         "auth={'key': app.config['PAGE_KEY']}")
        task = app.extensions["demo_task"]
        # Every client connects here, but one task serves them all. The lock makes "check,
        # then start" atomic: two clients connecting at once cannot start two tasks.
        with task.lock:
            if task.thread is None:
                task.stop_event = threading.Event()  # a fresh one for each run
                task.thread = socketio.start_background_task(
                    background_task, socketio, task.period, task.stop_event
                )
        emit("my_response", {"data": "Connected", "count": 0})

    @socketio.on("disconnect")  # not @socketio.event: the name would hide disconnect()
    def on_disconnect(reason):
        # Log, never print(): a print from a server thread lands in whichever cell runs.
        app.logger.info("client %s disconnected: %s", request.sid, reason)


def background_task(socketio: SocketIO, period: float, stop_event: threading.Event) -> None:
    """Emit "Server generated event" to every client every ``period`` seconds until stopped.

    :param socketio: the app's ``SocketIO`` object.
    :param period: seconds between two events.
    :param stop_event: the task returns within ``NAP`` seconds after this is set.
    :returns: ``None``, once stopped.
    """
    count = 0
    next_time = time.monotonic() + period
    while not stop_event.is_set():
        # socketio.sleep, not time.sleep: it also lets other clients run under eventlet or
        # gevent. Short naps, so that a stop takes effect at once, not after a whole period.
        socketio.sleep(max(0.0, min(NAP, next_time - time.monotonic())))
        if time.monotonic() >= next_time and not stop_event.is_set():
            count += 1
            # socketio.emit, not emit(): there is no client request to answer here, so it
            # goes to every client connected to the namespace.
            socketio.emit("my_response", {"data": "Server generated event", "count": count})
            next_time += period


def stop_background_task(app: Flask, timeout: float = 2.0) -> bool:
    """Stop the app's background task, if it runs, and wait for its thread to end.

    ``ServerHandle.stop()`` knows nothing about this task: call this too, so that nothing
    outlives the server. The next client to connect starts a new task. See
    ``SocketIO.start_background_task`` in Flask-SocketIO's API reference
    (https://flask-socketio.readthedocs.io/en/latest/api.html).

    :param app: an app made by :func:`create_app`.
    :param timeout: how long to wait for the thread to end, in seconds (default 2.0).
    :returns: ``True`` if no task is running any more, ``False`` if its thread is still
        alive after ``timeout`` seconds.
    """
    task = app.extensions["demo_task"]
    with task.lock:
        thread, task.thread = task.thread, None
        task.stop_event.set()
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()
