"""An unreliable network on purpose: drop a server's connections, restart it on the same port.

Clients reconnect on their own only when a connection is *lost*, not when the server says
goodbye. python-socketio's ``Client`` (``_handle_eio_disconnect`` in ``socketio/client.py``)
and the JavaScript client's Manager start their reconnection loop after a transport closes
or a ping times out; a Socket.IO DISCONNECT packet from the server (what
``socketio.server.disconnect(sid)``, ``disconnect()`` in a handler and the kit's
:meth:`~server.runner.ServerHandle.stop` send) ends the connection for good, and the client
does not come back. So, to show reconnection, a notebook needs what a crash, a redeploy or a
lost Wi-Fi does: sockets that just close. That is all this module adds:

- :func:`cut_connections` closes every Engine.IO connection of a kit server with no
  Socket.IO DISCONNECT and no Engine.IO CLOSE packet (``Socket.close(abort=True)`` in
  ``engineio/socket.py``); the server keeps running.
- :func:`restart_server` does that, stops the server, and serves the same app again on the
  same port, as a restarted process would (though the Python objects of the kernel, such as
  a dict of messages, survive: a real restart loses them unless they are stored elsewhere).

See "Reconnection" in the python-socketio client docs
(https://python-socketio.readthedocs.io/en/latest/client.html#managing-the-connection) and
the ``reconnection*`` options of ``socketio.Client``
(https://python-socketio.readthedocs.io/en/latest/api.html#socketio.Client).
"""

from __future__ import annotations

import socket

from .runner import ServerError, ServerHandle, start_server

__all__ = ["cut_connections", "restart_server"]


def cut_connections(srv: ServerHandle) -> int:
    """Close every client connection of ``srv`` at once, with no goodbye.

    No Socket.IO DISCONNECT packet and no Engine.IO CLOSE packet is sent: the server
    closes its side of each Engine.IO socket (``engineio.socket.Socket.close(wait=False,
    abort=True)``) and shuts its TCP connection down, as a crashed server's operating system
    would. (The TCP shutdown matters to browsers: after that close, python-engineio's
    threading server leaves the TCP connection open, and Chromium waits about 2 s for it to
    close before it reports the disconnection. It is done for connections that started as
    WebSocket, whose handshake request's socket Werkzeug puts in the WSGI environ as
    ``werkzeug.socket``; an upgraded long-polling connection gets the Engine.IO close only.)
    The server's own
    ``disconnect`` handlers still run, with the reason ``"server disconnect"``; each client
    sees the transport close (python-socketio: reason ``"transport error"``; JavaScript:
    ``"transport close"``) and, if its reconnection is on, starts reconnecting. The server
    keeps listening, so a client may be back within its first reconnection delay.

    :param srv: a running :class:`~server.runner.ServerHandle` (from
        :func:`server.start_server`).
    :returns: how many Engine.IO connections were closed (``0`` if there were none).
    :raises ServerError: if ``srv`` is not running.
    """
    if not srv.running:
        raise ServerError(f"{srv!r} is not running: there are no connections to cut")
    sio = srv.socketio.server
    sockets = [s for s in list(sio.eio.sockets.values()) if not s.closed]
    for s in sockets:
        environ = sio.environ.get(s.sid) or {}
        s.close(wait=False, abort=True)
        raw = environ.get("werkzeug.socket")
        if raw is not None and environ.get("QUERY_STRING", "").find("transport=websocket") >= 0:
            try:
                raw.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the other side
                pass
    return len(sockets)


def restart_server(srv: ServerHandle, *, timeout: float = 5.0) -> ServerHandle:
    """Restart ``srv`` as a crash and a restart would: clients lose their connection, and the
    same app is served again on the same host and port.

    The steps: :func:`cut_connections` (no goodbye, so clients with reconnection on come
    back), :meth:`~server.runner.ServerHandle.stop`, then :func:`server.start_server` with
    the same app, host, port and registry key. Every client connection is new afterwards:
    new sids, no rooms but the ones a ``connect`` handler joins again, and whatever the
    server emitted while a client was away is not delivered to it.

    :param srv: a running :class:`~server.runner.ServerHandle`.
    :param timeout: upper bound for stopping the old server, in seconds (default 5.0).
    :returns: the new, running :class:`~server.runner.ServerHandle` (``srv`` is stopped).
        It is a context manager too: ``with restart_server(srv) as again: ...`` stops it
        when the block ends.
    :raises ServerError: if ``srv`` is not running, or did not stop within ``timeout``.
    :raises server.runner.PortInUseError: if another program took the port meanwhile.
    """
    if not srv.running:
        raise ServerError(f"{srv!r} is not running: start it before restarting it")
    cut_connections(srv)
    srv.stop(timeout)
    return start_server(srv.app, host=srv.host, port=srv.port, key=srv.key)
