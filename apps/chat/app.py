"""A small chat server: the start of a real Flask-SocketIO project you can copy.

Run it in development (the Werkzeug server, for your own machine only)::

    python app.py

In production, behind nginx (lesson 10, "deploying", shows each of these live)::

    gunicorn -w 1 --threads 100 -b 127.0.0.1:5000 app:app     # threading + simple-websocket
    gunicorn -k gevent -w 1 -b 127.0.0.1:5000 app:app         # gevent (pip install gevent)

See https://flask-socketio.readthedocs.io/en/latest/deployment.html. Settings come from
environment variables, so the same code runs everywhere:

- ``SECRET_KEY``: Flask's secret key (default: a random one per process, so sessions
  do not survive a restart; set one in production).
- ``CHAT_ORIGINS``: comma-separated origins allowed to connect, e.g.
  ``https://chat.example.com`` (default: only the origin the request itself names).
- ``CHAT_MESSAGE_QUEUE``: a Redis URL shared by every instance, e.g.
  ``redis://127.0.0.1:6379``, needed as soon as there is more than one server process.
- ``CHAT_ASYNC_MODE``: ``threading``, ``gevent``... (default: Flask-SocketIO picks the best
  one installed: eventlet, then gevent, then threading).
- ``CHAT_BROKER``: a Celery broker URL; enables the ``report`` job (see ``tasks.py``).
"""

from __future__ import annotations

import os
import secrets

from flask import Flask, render_template, request
from flask_socketio import SocketIO, emit, join_room

socketio = SocketIO()


def create_app(config: dict | None = None) -> Flask:
    """Create the chat app and attach the module's ``socketio`` to it.

    :param config: Flask settings that override the environment, e.g.
        ``{"CHAT_ORIGINS": "http://127.0.0.1:8080"}``.
    :returns: the Flask app (``socketio`` serves it; one app per process).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(),
        CHAT_ORIGINS=os.environ.get("CHAT_ORIGINS", ""),
        CHAT_MESSAGE_QUEUE=os.environ.get("CHAT_MESSAGE_QUEUE") or None,
        CHAT_ASYNC_MODE=os.environ.get("CHAT_ASYNC_MODE") or None,
    )
    app.config.update(config or {})
    origins = [o.strip() for o in app.config["CHAT_ORIGINS"].split(",") if o.strip()]
    socketio.init_app(app, async_mode=app.config["CHAT_ASYNC_MODE"],
                      message_queue=app.config["CHAT_MESSAGE_QUEUE"],
                      cors_allowed_origins=origins or None)

    @app.route("/")
    def index():
        return render_template("index.html")

    @app.route("/health")
    def health():
        # Which process answered, and in which async mode: handy behind a load balancer.
        return {"pid": os.getpid(), "async_mode": socketio.async_mode}

    return app


@socketio.on("connect")
def on_connect(auth):
    user = str((auth or {}).get("user") or "anonymous")[:32]
    join_room(f"user:{user}")  # every connection of this user: where a job reports to
    join_room("lobby")
    emit("welcome", {"user": user, "pid": os.getpid(), "async_mode": socketio.async_mode})


@socketio.on("say")
def on_say(text):
    emit("said", {"text": str(text)[:500]}, to="lobby")
    return "ok"


@socketio.on("report")
def on_report(data):
    """Start a Celery job that reports its progress to ``user:<name>``."""
    from tasks import report  # Celery is only needed when this event is used

    report.delay(str(data["user"]), int(data.get("steps", 10)))
    return "started"


app = create_app()

if __name__ == "__main__":
    # In threading mode socketio.run() serves with Werkzeug's development server, which
    # raises RuntimeError when stdin is not a terminal (a service, a container, a notebook)
    # unless allow_unsafe_werkzeug=True. With gevent installed, it serves gevent instead.
    socketio.run(app, host=os.environ.get("CHAT_HOST", "127.0.0.1"),
                 port=int(os.environ.get("CHAT_PORT", "5000")),
                 debug=os.environ.get("CHAT_DEBUG") == "1",
                 allow_unsafe_werkzeug=os.environ.get("CHAT_UNSAFE_WERKZEUG") == "1")
