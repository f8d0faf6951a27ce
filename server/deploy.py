"""Run a Flask-SocketIO app the way production does: gunicorn, from the production environment.

The production environment is a second virtualenv, ``.venv-deploy`` (``make venv`` builds
it from ``requirements-deploy.lock``), holding gunicorn, gevent and Celery next to the same
Flask-SocketIO versions as the kernel's ``.venv``. They never go into ``.venv``: with gevent
importable, ``SocketIO(app)`` without ``async_mode`` picks gevent (python-engineio tries
eventlet, gevent_uwsgi, gevent, then threading), and every lesson's threaded server would
break. See https://flask-socketio.readthedocs.io/en/latest/deployment.html#gunicorn-web-server.

:func:`start_gunicorn` runs ``gunicorn OPTIONS -b 127.0.0.1:PORT app:app`` in the chat
project (``apps/chat``) as a process of :mod:`server.processes`; :func:`connection_report`
says, in a few deterministic words, how a client fares through a URL (the transport it ends
up on, what a WebSocket-only client and a request carrying an ``Origin`` get back).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from . import processes
from .processes import HOST, ProcessError, ProcessHandle, free_port

__all__ = [
    "CHAT_DIR",
    "DEPLOY_HOWTO",
    "DeployEnvMissing",
    "GunicornHandle",
    "QuickStopHandle",
    "connection_report",
    "deploy_bin",
    "start_gunicorn",
    "websocket_upgrade",
]

ROOT = Path(__file__).resolve().parent.parent
#: The chat project a learner could copy: ``app.py``, ``client.py``, ``tasks.py``, a template.
CHAT_DIR = ROOT / "apps" / "chat"

DEPLOY_HOWTO = """\
The production environment .venv-deploy (gunicorn, gevent, Celery) is missing. Build it:
  make venv
or by hand, in the kit's folder:
  python3.11 -m venv .venv-deploy && .venv-deploy/bin/pip install -r requirements-deploy.lock
(or set FSL_DEPLOY_VENV to another virtualenv that has them). Never install gevent into the
kernel's environment: SocketIO(app) would pick it and the lessons' servers would break."""


class DeployEnvMissing(ProcessError):
    """``.venv-deploy`` (or one of its programs) is missing; the message says how to build it."""


def deploy_bin(program: str = "python") -> str:
    """The path of ``program`` in the production environment.

    :param program: ``"python"``, ``"gunicorn"``, ``"celery"``...
    :returns: ``$FSL_DEPLOY_VENV/bin/<program>``, by default ``.venv-deploy/bin/<program>``
        in the kit's folder.
    :raises DeployEnvMissing: if it does not exist; the message says how to build it.
    """
    venv = Path(os.environ.get("FSL_DEPLOY_VENV") or ROOT / ".venv-deploy")
    path = venv / ("Scripts" if os.name == "nt" else "bin") / program
    if not os.access(path, os.X_OK):
        raise DeployEnvMissing(f"{path} not found.\n" + DEPLOY_HOWTO)
    return str(path)


def start_gunicorn(*options: str, app: str = "app:app", port: int = 0,
                   env: dict | None = None, cwd: str | os.PathLike = CHAT_DIR,
                   name: str = "gunicorn", tag: str | None = None, key: str | None = None,
                   timeout: float = 15.0) -> ProcessHandle:
    """Run ``gunicorn OPTIONS -b 127.0.0.1:PORT APP`` from ``.venv-deploy``; wait until it listens.

    Starting again from the same cell (or ``key``) first stops the gunicorn started before,
    as :func:`server.start_process` does.

    :param options: gunicorn's options, e.g. ``"-w", "1", "--threads", "100"`` (threading
        mode) or ``"-k", "gevent", "-w", "1"``; ``-b`` is added.
    :param app: the WSGI app, ``module:variable`` (default ``"app:app"``, the chat).
    :param port: the port to bind on 127.0.0.1; ``0`` (default) picks a free one.
    :param env: extra environment variables for the app, e.g.
        ``{"CHAT_ASYNC_MODE": "threading"}``.
    :param cwd: the folder ``app`` is imported from (default: ``apps/chat``).
    :param name: a label for messages and :func:`server.cleanup` (default ``"gunicorn"``).
    :param tag: a label shared by related processes (see :func:`server.start_process`).
    :param key: registry key; default: the calling cell plus ``name``.
    :param timeout: maximum wait until it accepts connections, in seconds (default 15.0).
    :returns: a :class:`GunicornHandle` (``.port``, ``.url``, ``.output()``, ``.stop()``).
    :raises DeployEnvMissing: if ``.venv-deploy`` is missing.
    :raises ProcessError: if gunicorn exits early (a wrong option, an import error) or does
        not listen within ``timeout``; the message ends with what it printed.
    """
    binary = deploy_bin("gunicorn")
    key = key or f"{processes._caller_key()}#{name}"
    processes._replace(key, timeout=5.0)
    port = port or free_port()
    argv = [binary, *options, "-b", f"{HOST}:{port}", app]
    return processes._start(argv, name=name, key=key, tag=tag, env=env, cwd=os.fspath(cwd),
                            timeout=timeout, die_with_parent=True, ready_port=port,
                            cls=GunicornHandle)


class QuickStopHandle(ProcessHandle):
    """A process whose :meth:`stop` first sends ``SIGQUIT``: *quick* shutdown for gunicorn
    (the master stops its workers at once) and *cold* shutdown for a Celery worker. Their
    ``SIGTERM`` is a graceful shutdown that waits for open connections (gunicorn: up to
    ``--graceful-timeout``, 30 s) or the running job to end.
    """

    def _before_terminate(self) -> None:
        try:
            os.kill(self.pid, signal.SIGQUIT)
        except OSError:
            return
        deadline = time.monotonic() + 2.0
        delay = 0.002
        while time.monotonic() < deadline:  # wait for the exit without reaping it (WNOWAIT)
            try:
                if os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                    return
            except ChildProcessError:
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        # still running: SIGTERM, then SIGKILL, follow


class GunicornHandle(QuickStopHandle):
    """A gunicorn started by :func:`start_gunicorn`: ``.port``, ``.url``, ``.output()``, ``.stop()``
    (a quick shutdown, see :class:`QuickStopHandle`).
    """

    @property
    def url(self) -> str:
        """``"http://127.0.0.1:<port>"``."""
        return f"http://{HOST}:{self.port}"


def websocket_upgrade(url: str, *, session=None, timeout: float = 2.0) -> str:
    """Upgrade a long-polling session to WebSocket by hand, as a client does, and say how it went.

    The Engine.IO handshake over long-polling, then a WebSocket with that sid, the
    ``2probe`` / ``3probe`` exchange and the ``5`` (upgrade) packet.

    :param url: the server or proxy, e.g. ``"http://127.0.0.1:8080"``.
    :param session: a ``requests.Session`` (for ``https://``: :func:`server.tls.trusting_session`).
    :param timeout: per step, in seconds (default 2.0).
    :returns: ``"upgraded"``, ``"refused: <status> <body>"`` or ``"failed: <what happened>"``.
    """
    import json

    import requests
    import websocket

    session = session or requests.Session()
    reply = session.get(url + "/socket.io/?EIO=4&transport=polling", timeout=timeout)
    if not reply.ok:
        return f"refused: {reply.status_code} {reply.text.strip()[:80]}"
    sid = json.loads(reply.text[1:])["sid"]
    sslopt = {"ca_certs": session.verify} if isinstance(session.verify, str) else None
    try:
        ws = websocket.create_connection(f"{_websocket_url(url)}&sid={sid}", origin=url,
                                         timeout=timeout, sslopt=sslopt)
    except websocket.WebSocketBadStatusException as exc:
        body = (exc.resp_body or b"").decode(errors="replace").strip()
        return f"refused: {exc.status_code} {body}".strip()
    try:
        ws.send("2probe")
        answer = ws.recv()
        if answer != "3probe":
            return f"failed: the server answered {answer!r} to the probe"
        ws.send("5")
        return "upgraded"
    except (OSError, websocket.WebSocketException) as exc:
        return f"failed: {type(exc).__name__} (the server closed the WebSocket)"
    finally:
        ws.close()


def _websocket_url(url: str) -> str:
    return url.replace("https://", "wss://").replace("http://", "ws://") \
        + "/socket.io/?EIO=4&transport=websocket"


def connection_report(url: str, *, session=None, origin: str | None = None,
                      timeout: float = 5.0) -> dict:
    """How Socket.IO clients fare through ``url``, in deterministic words.

    Three tries, each on a fresh connection:

    - ``"client"``: a default ``socketio.Client`` (long-polling first, then the upgrade to
      WebSocket, attempted inside ``connect()``): ``"websocket"`` or ``"polling"`` (the
      transport it ended on), or ``"refused: <error>"``;
    - ``"websocket_only"``: an Engine.IO WebSocket handshake sent straight away, with an
      ``Origin`` header as a browser sends it: ``"101 Switching Protocols"`` or
      ``"<status> <body>"``;
    - ``"polling_with_origin"``: a long-polling handshake with the same ``Origin`` (a
      browser's page sends it with its POST requests): ``"200"`` or ``"<status> <body>"``.

    :param url: the server or proxy, e.g. ``"http://127.0.0.1:8080"`` (no trailing slash).
    :param session: a ``requests.Session`` to use (e.g. :func:`server.tls.trusting_session`
        for ``https://``); default: a new one.
    :param origin: the ``Origin`` to send; default: ``url`` itself (a page served there).
    :param timeout: per try, in seconds (default 5.0).
    :returns: ``{"client": ..., "websocket_only": ..., "polling_with_origin": ...}``.
    """
    import requests
    import socketio
    import websocket

    origin = origin or url
    session = session or requests.Session()
    report = {}
    client = socketio.Client(http_session=session)
    try:
        client.connect(url, wait_timeout=timeout)
        report["client"] = client.transport()
    except socketio.exceptions.ConnectionError as exc:
        report["client"] = f"refused: {exc}"
    finally:
        client.disconnect() if client.connected else None
    sslopt = {"ca_certs": session.verify} if isinstance(session.verify, str) else None
    try:
        ws = websocket.create_connection(_websocket_url(url), origin=origin, timeout=timeout,
                                         sslopt=sslopt)
        ws.close()
        report["websocket_only"] = "101 Switching Protocols"
    except websocket.WebSocketBadStatusException as exc:
        body = (exc.resp_body or b"").decode(errors="replace").strip()
        report["websocket_only"] = f"{exc.status_code} {body}".strip()
    except (OSError, websocket.WebSocketException) as exc:
        report["websocket_only"] = f"failed: {type(exc).__name__}"
    try:
        reply = session.get(url + "/socket.io/?EIO=4&transport=polling",
                            headers={"Origin": origin}, timeout=timeout)
        report["polling_with_origin"] = (str(reply.status_code) if reply.ok else
                                         f"{reply.status_code} {reply.text.strip()[:80]}")
    except requests.RequestException as exc:
        report["polling_with_origin"] = f"failed: {type(exc).__name__}"
    return report


if __name__ == "__main__":  # pragma: no cover - a quick manual probe
    print(connection_report(sys.argv[1]))
