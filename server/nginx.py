"""Run nginx as the reverse proxy in front of Flask-SocketIO servers, unprivileged, from a notebook.

nginx is configured as Flask-SocketIO's deployment docs do ("Using nginx as a WebSocket
Reverse Proxy", https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-nginx-as-a-websocket-reverse-proxy):
a ``location /`` for the pages and a ``location /socket.io`` that passes the WebSocket
upgrade on. :func:`start_nginx` writes a whole ``nginx.conf`` around the ``location`` blocks
you give it into a temporary prefix directory (pid file, logs and temporary files all stay
there) and runs ``nginx -p DIR -c nginx.conf -g 'daemon off;'`` on a random 127.0.0.1 port,
as a process of :mod:`server.processes` (registry, readiness probe, clean-up on re-run).

The prefix also holds a ``proxy_params`` file with the four lines Debian's nginx package
ships in ``/etc/nginx/proxy_params`` (Debian 12 since 1.22.1-9+deb12u6), so that the docs'
``include proxy_params;`` behaves the same on every system, including its ``Host $host``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from . import processes
from .processes import HOST, ProcessError, ProcessHandle, find_program, free_port

__all__ = [
    "DEBIAN_PROXY_PARAMS",
    "NGINX_HOWTO",
    "NginxConfigError",
    "NginxHandle",
    "NginxNotFound",
    "docs_locations",
    "find_nginx",
    "nginx_conf",
    "start_nginx",
]

NGINX_HOWTO = """\
Lesson 10 (deploying) needs the `nginx` program. Install it, then run this cell again:
  - Debian / Ubuntu: `sudo apt-get install nginx` (then `sudo systemctl disable --now nginx`
    if you do not want the system's own nginx running; the lesson starts its own)
  - conda / Binder: it comes with the kit's environment.yml (`conda install -c conda-forge nginx`)
  - macOS (Homebrew): `brew install nginx`
  - or set the NGINX environment variable to the path of an nginx executable."""

#: The headers Debian's ``/etc/nginx/proxy_params`` sets (Debian 12, nginx 1.22.1-9+deb12u6
#: and later), without its comments. Note ``Host $host``: the host name *without* the port.
DEBIAN_PROXY_PARAMS = """\
proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
"""

#: The ``nginx.conf`` around the learner's ``location`` blocks. Everything nginx writes stays
#: in the prefix; ``proxy_max_temp_file_size 0`` and a 1 MB body buffer keep it from writing
#: temporary files at all (when started as root, its workers run as ``nobody``, which cannot
#: enter the kit's private state directory).
_CONF = """\
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log access.log;
    client_body_temp_path temp/client_body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;
    proxy_max_temp_file_size 0;
    client_body_buffer_size 1m;
{upstream}
    server {{
        listen {host}:{port}{ssl};
        server_name _;
{tls}
{locations}
    }}
}}
"""


class NginxNotFound(ProcessError):
    """No ``nginx`` program was found; the message says how to install one."""


class NginxConfigError(ProcessError):
    """``nginx -t`` refused the configuration; the message quotes nginx's own error."""


class NginxHandle(ProcessHandle):
    """An nginx started by :func:`start_nginx`.

    :ivar port: the port it listens on, on 127.0.0.1.
    :ivar prefix: its prefix directory (``nginx.conf``, ``proxy_params``, logs).
    :ivar config: the whole ``nginx.conf`` it runs.
    :ivar scheme: ``"https"`` if it terminates TLS, else ``"http"``.
    """

    prefix: Path
    config: str
    scheme: str = "http"

    @property
    def url(self) -> str:
        """The proxy's address, e.g. ``"http://127.0.0.1:54321"`` (no trailing slash)."""
        return f"{self.scheme}://{HOST}:{self.port}"

    def access_log(self) -> list[str]:
        """The lines of its access log so far (one per request, with the status code).

        :returns: a list of lines, oldest first (empty once it has been stopped).
        """
        try:
            return (self.prefix / "access.log").read_text(errors="replace").splitlines()
        except OSError:
            return []

    def error_log(self) -> str:
        """Its error log so far (what nginx says when an upstream refuses or is down)."""
        try:
            return (self.prefix / "error.log").read_text(errors="replace")
        except OSError:
            return ""

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited ({self.returncode})"
        return f"<NginxHandle {self.url} pid {self.pid} {state}>"


def find_nginx() -> str:
    """The ``nginx`` to run: ``$NGINX``, else ``nginx`` on ``PATH``, in ``/usr/sbin`` (where
    Debian puts it, often not on a normal user's ``PATH``), or next to this Python (conda).

    :returns: the executable's path.
    :raises NginxNotFound: if there is none; the message says how to install it.
    """
    return find_program("nginx", "NGINX", NginxNotFound, NGINX_HOWTO,
                        extra_dirs=("/usr/sbin", "/usr/local/sbin"))


def docs_locations(upstream: str = "http://chat") -> str:
    """The two ``location`` blocks of the deployment docs, proxying to ``upstream``.

    :param upstream: where to send requests: ``"http://chat"`` (the ``upstream chat``
        block :func:`nginx_conf` writes) or ``"http://127.0.0.1:5000"``.
    :returns: nginx configuration text (two ``location`` blocks).
    """
    return f"""\
location / {{
    include proxy_params;
    proxy_pass {upstream};
}}

location /socket.io {{
    include proxy_params;
    proxy_http_version 1.1;
    proxy_buffering off;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "Upgrade";
    proxy_pass {upstream}/socket.io;
}}
"""


def _indent(text: str, spaces: int) -> str:
    return "\n".join((" " * spaces + line) if line.strip() else "" for line in
                     text.strip("\n").splitlines())


def nginx_conf(locations: str, *, port: int, upstream_ports=(), ip_hash: bool = True,
               tls: tuple[str, str] | None = None) -> str:
    """A whole ``nginx.conf`` for a prefix directory, around your ``location`` blocks.

    :param locations: the ``location`` blocks (nginx syntax), e.g. :func:`docs_locations`.
    :param port: the TCP port to listen on, on 127.0.0.1.
    :param upstream_ports: ports of the app servers on 127.0.0.1; if any, an
        ``upstream chat { ... }`` block lists them, for ``proxy_pass http://chat``.
    :param ip_hash: put ``ip_hash;`` in the upstream block (sticky sessions: one client
        always reaches the same server), as the docs do. Default ``True``.
    :param tls: ``(certificate path, key path)`` (PEM files) to listen with TLS, else
        ``None`` for plain HTTP.
    :returns: the configuration text.
    """
    upstream = ""
    if upstream_ports:
        servers = "".join(f"        server {HOST}:{p};\n" for p in upstream_ports)
        upstream = ("    upstream chat {\n" + ("        ip_hash;\n" if ip_hash else "")
                    + servers + "    }")
    tls_lines = ""
    if tls is not None:
        tls_lines = (f"        ssl_certificate {tls[0]};\n"
                     f"        ssl_certificate_key {tls[1]};")
    return _CONF.format(upstream=upstream, host=HOST, port=port,
                        ssl=" ssl" if tls else "", tls=tls_lines,
                        locations=_indent(locations, 8))


def _test_config(binary: str, prefix: Path) -> None:
    result = subprocess.run([binary, "-t", "-q", "-p", f"{prefix}/", "-c", "nginx.conf"],
                            capture_output=True, text=True, timeout=10)
    if result.returncode != 0:
        lines = [line.replace(f"{prefix}/", "") for line in
                 (result.stderr + result.stdout).splitlines()
                 if "[emerg]" in line or "[alert]" in line or "[crit]" in line]
        raise NginxConfigError("nginx refused the configuration:\n" + "\n".join(
            line.split("[emerg] ")[-1] for line in lines or ["(no message)"]))


def start_nginx(locations: str, *, upstream_ports=(), port: int = 0, ip_hash: bool = True,
                tls: tuple[str, str] | None = None, name: str = "nginx",
                key: str | None = None, tag: str | None = None,
                timeout: float = 10.0) -> NginxHandle:
    """Start nginx with your ``location`` blocks and wait until it accepts connections.

    Runs ``nginx -p DIR -c nginx.conf -g 'daemon off;'`` where ``DIR`` is a fresh temporary
    prefix holding the configuration (:func:`nginx_conf`), a copy of Debian's
    ``proxy_params`` (:data:`DEBIAN_PROXY_PARAMS`), the logs and the pid file. The
    configuration is checked with ``nginx -t`` first. Starting again from the same cell
    (or ``key``) first stops the nginx started before, as :func:`server.start_process` does.

    :param locations: the ``location`` blocks, e.g. :func:`docs_locations`.
    :param upstream_ports: the app servers' ports (see :func:`nginx_conf`).
    :param port: the port to listen on; ``0`` (default) picks a free one.
    :param ip_hash: sticky sessions in the upstream block (default ``True``).
    :param tls: ``(certificate path, key path)`` to serve ``https://``, else ``None``.
    :param name: a label for messages and :func:`server.cleanup` (default ``"nginx"``).
    :param key: registry key; default: the calling cell plus ``name``.
    :param tag: a label shared by related processes (see :func:`server.start_process`).
    :param timeout: maximum wait until it accepts connections, in seconds (default 10.0).
    :returns: a :class:`NginxHandle` (``.url``, ``.port``, ``.config``, ``.access_log()``).
    :raises NginxNotFound: if nginx is not installed; the message says how to get it.
    :raises NginxConfigError: if nginx refuses the configuration (its message is quoted).
    :raises ProcessError: if nginx exits early or is not ready within ``timeout``.
    """
    binary = find_nginx()
    key = key or f"{processes._caller_key()}#{name}"
    processes._replace(key, timeout=5.0)
    port = port or free_port()
    prefix = Path(tempfile.mkdtemp(prefix="nginx-", dir=processes._state_dir("nginx")))
    (prefix / "temp").mkdir()
    config = nginx_conf(locations, port=port, upstream_ports=upstream_ports,
                        ip_hash=ip_hash, tls=tls)
    (prefix / "nginx.conf").write_text(config)
    (prefix / "proxy_params").write_text(DEBIAN_PROXY_PARAMS)
    try:
        _test_config(binary, prefix)
    except BaseException:
        shutil.rmtree(prefix, ignore_errors=True)
        raise
    handle = processes._start(
        [binary, "-p", f"{prefix}/", "-c", "nginx.conf", "-g", "daemon off;"],
        name=name, key=key, tag=tag, env=None, cwd=str(prefix), timeout=timeout,
        die_with_parent=True, ready_port=port, files=[str(prefix)], cls=NginxHandle)
    handle.prefix, handle.config = prefix, config
    handle.scheme = "https" if tls else "http"
    return handle
