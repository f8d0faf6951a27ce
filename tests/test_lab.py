"""`make lab` opens JupyterLab as root and as a normal user, on a machine with no browser.

Each test runs the Makefile's own ``lab`` recipe (``make -o .venv/.installed lab``: ``-o``
treats the install stamp as up to date, so a test never re-installs ``.venv``; everything
else is what a learner's ``make lab`` runs) with ``LAB_ARGS=--port=0``, so Jupyter picks a free
port itself and prints it in its URL. The environment is that of a machine with no browser:
``env -i`` with only ``PATH``, ``HOME`` and ``LANG`` (no ``DISPLAY``, ``WAYLAND_DISPLAY``,
``BROWSER`` or ``TERM``, so Python's :mod:`webbrowser` finds nothing to open), and Jupyter's
config, data and runtime folders in a temporary folder of their own. A test waits until
``/api/status`` answers with the token from the printed URL, then stops the process group
and checks that every process is gone, the port is free and Jupyter shut down cleanly (it
removed its ``jpserver-*.json``).

As root, the root test exercises ``--allow-root``; the normal-user test then runs the same
command as ``nobody`` (``setpriv``) when ``nobody`` can read the kit and its ``.venv``, else
it skips and says exactly what ``nobody`` could not read. Run as a normal user, the first
test is the normal-user case and the second skips. What the ``nobody`` case does not show:
a normal user building ``.venv`` with ``make`` on a fresh clone (the ``.venv`` here is root's,
read-only to ``nobody``, as in a shared installation like The Littlest JupyterHub's).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import pytest
import requests

from server.processes import start_process
from ports import port_is_free

ROOT = Path(__file__).resolve().parents[1]
URL = re.compile(r"http://127\.0\.0\.1:(?P<port>\d+)/lab\?token=(?P<token>[0-9a-f]+)")
ROOT_NOTE = "make lab: you are root, so Jupyter gets --allow-root."
STARTUP = 90.0  # seconds; about 4 s on an idle 2-core machine, 20 s seen under a heavy load
STOP = 20.0  # seconds; Jupyter shuts down in well under a second once it has the SIGTERM


def _alive(proc: psutil.Process) -> bool:
    """Whether that exact process still runs (a zombie does not)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _closed_folder(account: pwd.struct_passwd) -> str:
    """Which folder keeps ``account`` out of the kit or its Python, said for a skip message."""
    python = Path(os.path.realpath(ROOT / ".venv/bin/python"))
    for target in (ROOT / "notebooks", python):
        for folder in reversed(target.parents):
            info = folder.stat()
            others = info.st_mode & 0o001
            group = info.st_gid == account.pw_gid and info.st_mode & 0o010
            if not (others or group or info.st_uid == account.pw_uid):
                return (f": {folder} is {stat.filemode(info.st_mode)}, owner uid {info.st_uid}, "
                        f"and {target} is inside it; a .venv made from a Python that every user "
                        "can run, in a clone every user can read, lets this test run")
    return ""


@pytest.fixture
def home():
    """A temporary folder for HOME and Jupyter's folders, that ``nobody`` may own too.

    Not pytest's ``tmp_path``: its parent folder is private to the user running the tests.
    """
    path = Path(tempfile.mkdtemp(prefix="fsl-lab-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _no_browser_env(home: Path) -> list[str]:
    """``env -i`` arguments: a machine with no browser and Jupyter's folders under ``home``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    return ["-i", *(f"{key}={value}" for key, value in env.items())]


def _as_user(account: pwd.struct_passwd) -> list[str]:
    """``setpriv`` arguments that run the rest of the command as ``account``."""
    return [shutil.which("setpriv"), f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}",
            "--clear-groups"]


def _run_make_lab(home: Path, prefix: list[str] = ()) -> tuple[str, int]:
    """Run ``make lab`` until ``/api/status`` answers, check it, stop it, check nothing is left.

    :param home: the temporary folder for HOME and Jupyter's folders.
    :param prefix: a program and arguments that run ``env`` (e.g. as another user).
    :returns: what ``make lab`` printed, and the uid Jupyter ran as.
    :raises AssertionError: if the server does not answer within ``STARTUP`` seconds, answers
        without the token, or leaves a process, its port or its server file behind.
    """
    argv = [*prefix, shutil.which("env"), *_no_browser_env(home), shutil.which("make"),
            "--no-print-directory", "-o", ".venv/.installed", "lab", "LAB_ARGS=--port=0"]
    handle = start_process(argv[1:], executable=argv[0], name="make-lab", cwd=ROOT,
                           ready_text=URL, timeout=STARTUP)
    try:
        port, token = handle.port, handle.ready_match["token"]
        status = f"http://127.0.0.1:{port}/api/status"
        deadline = time.monotonic() + STARTUP
        while True:  # the URL is printed just before the server's event loop starts
            try:
                answer = requests.get(status, headers={"Authorization": f"token {token}"},
                                      timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, (
                    f"no answer on {status} within {STARTUP} s:\n{handle.output(tail=20)}")
                time.sleep(0.05)
        assert answer.status_code == 200, (answer.status_code, answer.text)
        assert "started" in answer.json()
        assert requests.get(status, timeout=5).status_code == 403, "answered without the token"

        family = psutil.Process(handle.pid).children(recursive=True)
        jupyter = [p for p in family if "jupyter" in " ".join(p.cmdline())]
        assert jupyter, f"no Jupyter process under make: {[p.cmdline() for p in family]}"
        uid = jupyter[0].uids().real
        server_files = list((home / "runtime").glob("jpserver-*.json"))
        assert server_files, "Jupyter wrote no server file"
    finally:
        handle.stop(timeout=STOP)
    output = handle.output()
    left = [p for p in family if _alive(p)]
    assert not left, f"still running after make lab was stopped: {left}"
    assert port_is_free(port), f"port {port} still taken after make lab was stopped"
    assert not any(f.exists() for f in server_files), (
        f"Jupyter did not shut down cleanly (its server file is left):\n{output[-2000:]}")
    return output, uid


def test_make_lab_as_this_user_with_no_browser(home):
    output, uid = _run_make_lab(home)
    assert uid == os.getuid()
    # Jupyter's own answer to "no browser": a warning, then the URL with its token.
    assert "No web browser found" in output
    assert "Or copy and paste one of these URLs:" in output
    command = next(line for line in output.splitlines() if "/bin/jupyter lab" in line)
    assert "--ServerApp.ip=127.0.0.1" in command  # a learner's default
    if os.getuid() == 0:
        assert ROOT_NOTE in output and "--allow-root" in command
    else:
        assert ROOT_NOTE not in output and "--allow-root" not in command


def test_make_lab_as_a_normal_user(home):
    if os.getuid() != 0:
        pytest.skip(f"this user (uid {os.getuid()}) is not root: "
                    "test_make_lab_as_this_user_with_no_browser is the normal-user case")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is missing, so the tests cannot switch to nobody")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("there is no account 'nobody' to run make lab as")
    os.chown(home, nobody.pw_uid, nobody.pw_gid)
    # Can nobody run the kit's Jupyter, the way make will (execve through env)? Ask nobody,
    # and skip with its own words and the folder in the way (e.g. a .venv made from a Python
    # under root's private /root) if not.
    probe = subprocess.run(
        [*_as_user(nobody), shutil.which("env"), *_no_browser_env(home),
         str(ROOT / ".venv/bin/jupyter"), "lab", "--version"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        said = (probe.stderr.strip().splitlines() or [f"exit code {probe.returncode}"])[-1]
        pytest.skip(f"nobody cannot run the kit's Jupyter ({said}){_closed_folder(nobody)}")
    output, uid = _run_make_lab(home, _as_user(nobody))
    assert uid == nobody.pw_uid
    command = next(line for line in output.splitlines() if "/bin/jupyter lab" in line)
    assert ROOT_NOTE not in output and "--allow-root" not in command
