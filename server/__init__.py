"""flask-socketio-lab's plumbing: run a server in the kernel, record clients, show traffic.

Nothing here replaces the Flask-SocketIO API a notebook teaches: apps are written with
``SocketIO(app)``, ``@socketio.on``, ``emit`` and ``join_room`` in the notebook itself. This
package only starts and stops the server, records what clients see, and draws it.
"""

from .processes import (
    ProcessError,
    ProcessHandle,
    RedisHandle,
    RedisNotFound,
    cleanup,
    find_redis,
    free_port,
    running_processes,
    scratch_dir,
    start_process,
    start_redis,
)
from .recorder import Received, Recorder, record
from .runner import (
    HandlerError,
    PortInUseError,
    ServerError,
    ServerHandle,
    running_servers,
    start_server,
    stop_all,
)

__all__ = [
    "HandlerError",
    "ProcessError",
    "ProcessHandle",
    "RedisHandle",
    "RedisNotFound",
    "cleanup",
    "find_redis",
    "free_port",
    "running_processes",
    "scratch_dir",
    "start_process",
    "start_redis",
    "PortInUseError",
    "Received",
    "Recorder",
    "ServerError",
    "ServerHandle",
    "record",
    "running_servers",
    "start_server",
    "stop_all",
]
