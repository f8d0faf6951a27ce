"""The classic Flask-SocketIO demo: a page with Echo, Broadcast, rooms and Disconnect.

``create_app()`` builds it; ``server.start_server(app)`` serves it; open ``srv.url`` in a
browser. The page uses the Socket.IO JavaScript client vendored in ``static/`` (see
``VENDORED.md``), never a CDN.
"""

from .app import BackgroundTask, create_app, stop_background_task

__all__ = ["BackgroundTask", "create_app", "stop_background_task"]
