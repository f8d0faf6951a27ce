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

As root, the root test exercises ``--allow-root``. The normal-user test then does what a
learner with an ordinary account does on a fresh clone: root clones this repository's
committed ``HEAD`` into a folder owned by ``nobody``, and ``nobody`` runs ``make lab`` there
(``setpriv``), with an ordinary ``PATH`` (``/usr/local/bin:/usr/bin:/bin``), so ``make`` builds
``.venv`` and ``.venv-deploy`` from the system's ``python3.11`` (Debian 12's is 3.11.2), with
``pip`` and an empty cache, before Jupyter starts: about 110 s on an idle 2-core machine. It
skips if ``nobody``, ``setpriv`` or a ``python3.11`` that ``nobody`` can run is missing, unless
``FSL_REQUIRE_NORMAL_USER=1`` (CI), which turns a skip into a failure. Run as a normal user, the
first test is the normal-user case (on the existing ``.venv``) and the second skips.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
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
# seconds: a fresh clone's make lab builds .venv and .venv-deploy with pip before Jupyter
# starts: about 110 s on an idle 2-core machine, with downloads; the bound ends on arrival
INSTALL = 600.0
USER_PATH = "/usr/local/bin:/usr/bin:/bin"  # an ordinary account's PATH, not this process's
STOP = 20.0  # seconds; Jupyter shuts down in well under a second once it has the SIGTERM


def _alive(proc: psutil.Process) -> bool:
    """Whether that exact process still runs (a zombie does not)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.fixture
def home():
    """A temporary folder for HOME and Jupyter's folders, that ``nobody`` may own too.

    Not pytest's ``tmp_path``: its parent folder is private to the user running the tests.
    """
    path = Path(tempfile.mkdtemp(prefix="fsl-lab-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _no_browser_env(home: Path, path: str | None = None) -> list[str]:
    """``env -i`` arguments: a machine with no browser and Jupyter's folders under ``home``.

    :param path: the ``PATH``; default: this process's.
    """
    env = {
        "PATH": path or os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
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


def _run_make_lab(home: Path, prefix: list[str] = (), *, cwd: Path = ROOT, build: bool = False,
                  path: str | None = None, startup: float = STARTUP) -> tuple[str, int]:
    """Run ``make lab`` until ``/api/status`` answers, check it, stop it, check nothing is left.

    :param home: the temporary folder for HOME and Jupyter's folders.
    :param prefix: a program and arguments that run ``env`` (e.g. as another user).
    :param cwd: the kit's folder (default: this one).
    :param build: ``True`` lets ``make`` build ``.venv`` as a learner's first ``make lab`` does;
        ``False`` treats it as up to date (``-o .venv/.installed``).
    :param path: the ``PATH`` make runs with; default: this process's.
    :param startup: seconds to wait for the URL and then for ``/api/status``.
    :returns: what ``make lab`` printed, and the uid Jupyter ran as.
    :raises AssertionError: if the server does not answer within ``startup`` seconds, answers
        without the token, or leaves a process, its port or its server file behind.
    """
    argv = [*prefix, shutil.which("env"), *_no_browser_env(home, path), shutil.which("make"),
            "--no-print-directory", *([] if build else ["-o", ".venv/.installed"]), "lab",
            "LAB_ARGS=--port=0"]
    handle = start_process(argv[1:], executable=argv[0], name="make-lab", cwd=cwd,
                           ready_text=URL, timeout=startup)
    try:
        port, token = handle.port, handle.ready_match["token"]
        status = f"http://127.0.0.1:{port}/api/status"
        deadline = time.monotonic() + startup
        while True:  # the URL is printed just before the server's event loop starts
            try:
                answer = requests.get(status, headers={"Authorization": f"token {token}"},
                                      timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, (
                    f"no answer on {status} within {startup} s:\n{handle.output(tail=20)}")
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


@pytest.mark.early
def test_make_lab_as_a_normal_user_on_a_fresh_clone(home):
    if os.getuid() != 0:
        pytest.skip(f"this user (uid {os.getuid()}) is not root: "
                    "test_make_lab_as_this_user_with_no_browser is the normal-user case")
    if shutil.which("setpriv") is None:
        _skip_or_fail("setpriv (util-linux) is missing, so the test cannot switch to nobody")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        _skip_or_fail("there is no account 'nobody' to run make lab as")
    python = subprocess.run(
        [*_as_user(nobody), shutil.which("env"), "-i", f"PATH={USER_PATH}", "HOME=/",
         "python3.11", "-c", "import ensurepip, sys; print(sys.version.split()[0])"],
        capture_output=True, text=True, timeout=60)
    if python.returncode != 0:
        said = (python.stderr.strip().splitlines() or [f"exit code {python.returncode}"])[-1]
        _skip_or_fail(f"nobody has no python3.11 with venv on {USER_PATH} ({said})")
    kit = home / "kit"
    subprocess.run([shutil.which("git"), "clone", "--quiet", str(ROOT), str(kit)], check=True,
                   timeout=120)
    for folder, _, files in os.walk(home):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            os.lchown(name, nobody.pw_uid, nobody.pw_gid)

    output, uid = _run_make_lab(home, _as_user(nobody), cwd=kit, build=True, path=USER_PATH,
                                startup=INSTALL)
    assert uid == nobody.pw_uid
    assert (kit / ".venv/.installed").exists(), f"make lab did not build .venv:\n{output[-2000:]}"
    venv_python = os.path.realpath(kit / ".venv/bin/python")
    assert not venv_python.startswith(str(ROOT)) and not venv_python.startswith("/root"), venv_python
    command = next(line for line in output.splitlines() if "/bin/jupyter lab" in line)
    assert ROOT_NOTE not in output and "--allow-root" not in command
    assert f"Python {python.stdout.strip()}" in subprocess.run(
        [str(kit / ".venv/bin/python"), "--version"], capture_output=True, text=True).stdout


def _skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``, or fail it when ``FSL_REQUIRE_NORMAL_USER=1`` (CI)."""
    if os.environ.get("FSL_REQUIRE_NORMAL_USER") == "1":
        pytest.fail(f"{reason} (FSL_REQUIRE_NORMAL_USER=1)")
    pytest.skip(reason)
