"""Start a Celery worker of the chat project (``apps/chat/tasks.py``) from ``.venv-deploy``.

The worker runs ``celery -A tasks worker`` with Redis as its broker, and its jobs emit
through ``SocketIO(message_queue=...)`` ("Emitting from an External Process",
https://flask-socketio.readthedocs.io/en/latest/deployment.html#emitting-from-an-external-process).
It is a process of :mod:`server.processes`: registry, readiness wait, clean-up on re-run
(starting it again from the same cell first stops the worker started before).
"""

from __future__ import annotations

import os
import re

from . import processes
from .deploy import CHAT_DIR, QuickStopHandle, deploy_bin

__all__ = ["CELERY_OPTIONS", "start_celery_worker"]

#: One job at a time, in the worker process itself (``--pool solo``: no pool of forked
#: children to clean up), without the start-up chatter that makes a lone worker wait for
#: others (``--without-mingle`` alone saves about a second). Logs at INFO level.
CELERY_OPTIONS = ("--pool", "solo", "--without-mingle", "--without-gossip",
                  "--without-heartbeat", "--loglevel", "INFO")

_READY = re.compile(r"celery@\S+ ready\.")


def start_celery_worker(broker: str, message_queue: str, *, app: str = "tasks",
                        cwd: str | os.PathLike = CHAT_DIR, env: dict | None = None,
                        name: str = "celery", tag: str | None = None, key: str | None = None,
                        timeout: float = 20.0) -> ProcessHandle:
    """Run ``celery -A APP worker`` (with :data:`CELERY_OPTIONS`) and wait until it is ready.

    :param broker: the broker URL, e.g. ``redis.url + "/1"`` (database 1 of the lesson's
        Redis keeps Celery's keys apart; Socket.IO's queue is Pub/Sub, which is not
        per-database).
    :param message_queue: the Socket.IO message queue URL the chat servers use.
    :param app: the module that defines the Celery app (default ``"tasks"``).
    :param cwd: the folder it is imported from (default: ``apps/chat``).
    :param env: extra environment variables, e.g. ``{"CHAT_JOB_STEP": "0.1"}``.
    :param name: a label for messages and :func:`server.cleanup` (default ``"celery"``).
    :param tag: a label shared by related processes (see :func:`server.start_process`).
    :param key: registry key; default: the calling cell plus ``name``.
    :param timeout: maximum wait until it prints ``celery@<host> ready.``, in seconds.
    :returns: its :class:`~server.deploy.QuickStopHandle` (``stop()`` is a cold shutdown:
        a running job is abandoned).
    :raises DeployEnvMissing: if ``.venv-deploy`` is missing.
    :raises ProcessError: if the worker exits early or is not ready within ``timeout``.
    """
    binary = deploy_bin("celery")
    variables = {"CHAT_BROKER": broker, "CHAT_MESSAGE_QUEUE": message_queue, **(env or {})}
    key = key or f"{processes._caller_key()}#{name}"
    processes._replace(key, timeout=5.0)
    return processes._start([binary, "-A", app, "worker", *CELERY_OPTIONS], name=name, key=key,
                            tag=tag, env=variables, cwd=os.fspath(cwd), timeout=timeout,
                            die_with_parent=True, ready_text=_READY, cls=QuickStopHandle)
