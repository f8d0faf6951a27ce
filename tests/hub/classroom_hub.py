"""A real classroom JupyterHub on 127.0.0.1: its configuration, start, stop and leak check.

:func:`start_hub` writes ``jupyterhub_config.py`` (:func:`hub_config`, the exact
configuration the instructor page quotes) into a temporary folder, starts
``.venv/bin/jupyterhub`` with it and waits until ``/hub/health`` answers through the public
proxy; :func:`stop_hub` stops it and reports every process it leaves behind.

Every process the hub starts carries a marker in its environment (``FSL_HUB_TEST=<random>``):
the proxy inherits the hub's environment, the single-user servers get it through
``Spawner.environment``, and their kernels and the kernels' Chromiums inherit it. After the
hub has stopped, a process that still carries the marker, or that was one of the hub's
descendants, is a leak.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import psutil

from server.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
#: configurable-http-proxy, installed by ``make test-hub`` (``npm ci`` in tests/hub/).
CHP = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
USERS = ("alice", "bob")
#: Upper bound for the hub to answer /hub/health, in seconds (2-25 s here, by load).
HUB_START_TIMEOUT = 60
#: Upper bound for the hub to stop (it stops the users' servers first), in seconds.
HUB_STOP_TIMEOUT = 60


class HubError(RuntimeError):
    """The hub did not start; the message has the end of its log."""


@dataclass
class Hub:
    """A running JupyterHub, made by :func:`start_hub`.

    :ivar url: the public proxy's base URL, e.g. ``"http://127.0.0.1:41234"``.
    :ivar password: the shared password every user logs in with.
    :ivar homes: each user's home folder (``homes["alice"]``).
    :ivar process: the ``jupyterhub`` process.
    :ivar marker: the value of ``FSL_HUB_TEST`` in every process the hub started.
    :ivar workdir: the temporary folder with the config, the database and the log.
    """

    url: str
    password: str
    homes: dict[str, Path]
    process: subprocess.Popen
    marker: str
    workdir: Path

    def log(self, last: int = 60) -> str:
        """The hub's last ``last`` log lines (for failure messages)."""
        path = self.workdir / "jupyterhub.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(lines[-last:])

    def processes(self) -> list[psutil.Process]:
        """Every live process that carries this hub's marker (the hub itself excluded)."""
        return marked_processes(self.marker, exclude={self.process.pid})


def marked_processes(marker: str, exclude=frozenset()) -> list[psutil.Process]:
    """Live processes whose environment has ``FSL_HUB_TEST=<marker>``.

    :param marker: the marker value.
    :param exclude: process ids to leave out.
    :returns: the processes (zombies and processes that cannot be read are left out).
    """
    found = []
    for proc in psutil.process_iter():
        if proc.pid in exclude:
            continue
        try:
            if proc.environ().get("FSL_HUB_TEST") == marker and \
                    proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def describe(procs) -> str:
    """One line per process: pid, name and command line (for failure messages)."""
    lines = []
    for proc in procs:
        try:
            lines.append(f"{proc.pid} {proc.name()}: {' '.join(proc.cmdline())[:160]}")
        except psutil.Error:
            lines.append(f"{proc.pid} (gone)")
    return "\n".join(lines)


def hub_config(*, workdir: Path, public_port: int, hub_port: int, api_port: int,
               password: str, chromium: str, marker: str) -> str:
    """The text of the test's ``jupyterhub_config.py``.

    :param workdir: the temporary folder: database, cookie secret, pid files, users' homes.
    :param public_port: the public proxy's port on 127.0.0.1 (what browsers open).
    :param hub_port: the hub's own port on 127.0.0.1 (the proxy and servers talk to it).
    :param api_port: configurable-http-proxy's REST API port on 127.0.0.1.
    :param password: the shared password (``SharedPasswordAuthenticator.user_password``,
        8 characters at least).
    :param chromium: the Chromium executable the kernels use (``CHROMIUM_PATH``).
    :param marker: the value of ``FSL_HUB_TEST`` for the single-user servers.
    :returns: Python source for ``jupyterhub -f``.
    """
    args = ["--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        args.insert(0, "--allow-root")  # Jupyter refuses root without it (CI runs as root)
    environment = {
        # JupyterHub 6 passes no PATH to a spawned server (Spawner.env_keep is only
        # ['JUPYTERHUB_SINGLEUSER_APP']): give it the kit's .venv first, as an activated
        # environment would, then the system's (node, chromium, redis-server, nginx).
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        "LANG": "C.UTF-8",
        "CHROMIUM_PATH": chromium,   # server.browser.find_chromium looks here first
        "FSL_HUB_TEST": marker,      # so that the test finds every process left over
    }
    if os.environ.get("PLAYWRIGHT_BROWSERS_PATH"):
        environment["PLAYWRIGHT_BROWSERS_PATH"] = os.environ["PLAYWRIGHT_BROWSERS_PATH"]
    return f"""\
# Written by tests/hub/classroom_hub.py (hub_config): a classroom JupyterHub on 127.0.0.1.
c = get_config()  # noqa: F821

# Where everyone connects: the public proxy, configurable-http-proxy from npm.
c.JupyterHub.bind_url = "http://127.0.0.1:{public_port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(workdir / "jupyterhub-proxy.pid")!r}

# State in the temporary folder.
c.JupyterHub.db_url = "sqlite:///{workdir / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(workdir / "jupyterhub_cookie_secret")!r}
c.JupyterHub.pid_file = {str(workdir / "jupyterhub.pid")!r}
# Stopping the hub stops the users' servers and the proxy (the defaults, stated).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Two learners, one shared password (JupyterHub >= 5.3; DummyAuthenticator.password is
# deprecated since 5.3 in favour of this authenticator).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {sorted(USERS)!r}

# Every learner's server is a local process of the hub's own Unix user, with its home in the
# temporary folder. Not LocalProcessSpawner: it runs each server as the Unix user of the same
# name, so the machine would need real accounts alice and bob that can read the clone's
# .venv. SimpleLocalProcessSpawner isolates nothing (JupyterHub: for testing only): users
# share the Unix user and 127.0.0.1, the shared host the test examines.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / "home" / "{username}")!r}
c.Spawner.cmd = [{str(VENV_BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
"""


def start_hub(workdir: Path, chromium: str) -> Hub:
    """Write the config, give each user a home with a copy of ``notebooks/``, start the hub
    and wait until it answers.

    :param workdir: an empty temporary folder.
    :param chromium: the Chromium executable for the kernels.
    :returns: the running :class:`Hub`.
    :raises HubError: if the hub exits or does not answer within ``HUB_START_TIMEOUT``
        seconds (it is stopped first; the message has the end of its log).
    """
    homes = {}
    for user in USERS:
        homes[user] = workdir / "home" / user
        shutil.copytree(ROOT / "notebooks", homes[user] / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    public, hub_port, api = free_port(), free_port(), free_port()
    password, marker = secrets.token_urlsafe(12), secrets.token_hex(8)
    config = workdir / "jupyterhub_config.py"
    config.write_text(hub_config(workdir=workdir, public_port=public, hub_port=hub_port,
                                 api_port=api, password=password, chromium=chromium,
                                 marker=marker))
    with open(workdir / "jupyterhub.log", "wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)], cwd=workdir,
            env=dict(os.environ, FSL_HUB_TEST=marker), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(url=f"http://127.0.0.1:{public}", password=password, homes=homes,
              process=process, marker=marker, workdir=workdir)
    try:
        wait_healthy(hub)
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def wait_healthy(hub: Hub, timeout: float = HUB_START_TIMEOUT) -> None:
    """Poll ``/hub/health`` through the public proxy until it answers 200.

    :param hub: the hub.
    :param timeout: the upper bound, in seconds.
    :raises HubError: if the hub exits, or has not answered within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        if hub.process.poll() is not None:
            raise HubError(f"jupyterhub exited with {hub.process.returncode}:\n{hub.log()}")
        try:
            with urlopen(hub.url + "/hub/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise HubError(f"jupyterhub did not answer /hub/health within {timeout:g} s:\n"
                           + hub.log())
        time.sleep(0.25)  # a readiness probe's interval, not a synchronisation


def stop_hub(hub: Hub) -> str:
    """Stop the hub with SIGTERM (it stops the users' servers and the proxy first), then
    look for anything it left: its descendants as they were, and the marker's processes.

    :param hub: the hub (running or not).
    :returns: ``""`` if nothing is left; else one line per leftover process, each of
        which has been killed.
    """
    try:
        before = psutil.Process(hub.process.pid).children(recursive=True)
    except psutil.Error:
        before = []
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(HUB_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(10)
    # Stopped servers' children (kernels, Chromium) may take a moment to exit: bounded wait.
    _, alive = psutil.wait_procs(before + hub.processes(), timeout=10)
    alive = [p for p in {p.pid: p for p in alive}.values() if _alive(p)]
    if not alive:
        return ""
    text = describe(alive)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=10)
    return text


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
