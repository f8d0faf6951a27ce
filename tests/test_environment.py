"""The pins: requirements.lock and environment.yml must give the same versions."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line.split("#")[0].strip())
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def conda_pip_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = {}
    for entry in pip_section:
        match = PIN.match(entry)
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def test_environment_yml_pins_exactly_the_locked_versions():
    lock, conda = lock_pins(), conda_pip_pins()
    assert lock, "requirements.lock has no pins"
    differ = {n: (lock.get(n), conda.get(n)) for n in lock.keys() | conda.keys()
              if lock.get(n) != conda.get(n)}
    assert not differ, f"(lock, environment.yml) disagree: {differ}; run `make lock`"


def test_environment_yml_is_conda_forge_and_binder_ready():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in deps and "pip" in deps and "redis-server" in deps


def test_the_running_environment_matches_the_lock():
    # Notebook outputs were saved with these versions; another version may print differently.
    for name in ["flask", "flask-socketio", "python-socketio", "python-engineio",
                 "simple-websocket", "websocket-client", "werkzeug", "ipywidgets", "nbval"]:
        assert version(name) == lock_pins()[name], f"{name}: run `make venv` to re-sync"
