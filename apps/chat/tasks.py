"""Celery jobs of the chat: they run in a worker process and report progress over Socket.IO.

Start a worker (Redis as the broker; the message queue the chat servers share)::

    CHAT_BROKER=redis://127.0.0.1:6379/1 CHAT_MESSAGE_QUEUE=redis://127.0.0.1:6379 \\
        celery -A tasks worker --pool solo

The worker has no Flask app and no clients: ``SocketIO(message_queue=...)`` only publishes to
the queue, and every chat server delivers to its own clients ("Emitting from an External
Process", https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
A worker needs neither eventlet nor gevent, even when the servers use them.
"""

from __future__ import annotations

import os
import time

from celery import Celery
from flask_socketio import SocketIO

celery = Celery("chat", broker=os.environ.get("CHAT_BROKER", "redis://127.0.0.1:6379/1"))
socketio = SocketIO(message_queue=os.environ.get("CHAT_MESSAGE_QUEUE", "redis://127.0.0.1:6379"))

#: Seconds of (pretend) work per step.
STEP = float(os.environ.get("CHAT_JOB_STEP", "0.05"))


@celery.task
def report(user: str, steps: int = 10) -> int:
    """Do ``steps`` steps of work, telling ``user``'s room after each one.

    :param user: the user whose connections (room ``user:<name>``) see the progress.
    :param steps: how many steps (default 10).
    :returns: ``steps``.
    """
    for done in range(1, steps + 1):
        time.sleep(STEP)  # the real work would go here
        socketio.emit("progress", {"done": done, "total": steps}, to=f"user:{user}")
    return steps
