"""One answer, for every test, to "is this port free again?" (after a server stopped)."""

from __future__ import annotations

import socket


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``127.0.0.1:port`` now.

    Like Werkzeug, Redis and most servers it sets ``SO_REUSEADDR``, so connections the old
    server closed first, now in TIME_WAIT, do not count; a socket still listening does.

    :param port: the TCP port.
    :returns: ``True`` if binding and listening succeed, ``False`` on ``OSError``.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True
