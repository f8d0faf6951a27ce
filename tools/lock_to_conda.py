"""Write environment.yml (conda-forge, Binder-ready) from requirements.lock.

Notebook outputs depend on library versions, so conda and Binder users get exactly the
versions pip users get: Python, pip, the Redis server and nginx come from conda-forge (nothing
else: everything pip can install is pinned in the ``pip:`` section to the version in
``requirements.lock``). ``tests/test_environment.py`` fails when the two disagree, or when
environment.yml is not exactly what this script writes.

Usage: ``python tools/lock_to_conda.py``
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")

HEADER = """\
# Conda / Binder environment for flask-socketio-lab.
# Generated from requirements.lock by tools/lock_to_conda.py: do not edit by hand.
# Create it with:  conda env create -f environment.yml && conda activate flask-socketio-lab
name: flask-socketio-lab
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  # Only what pip cannot bring comes from conda (tests/test_environment.py holds it to this).
  # The Redis server binary, for lessons 10, 11 and 13b.
  - redis-server
  # nginx, the reverse proxy of lesson 10 (deploying), run unprivileged from the notebook.
  - nginx
  # Binder then runs postBuild, which builds .venv-deploy (lesson 10's production environment).
  - pip:
      - -e .
"""


def locked_pins(lock: Path = ROOT / "requirements.lock") -> dict[str, str]:
    """``{normalized name: version}`` for every ``name==version`` line of the lock."""
    pins = {}
    for line in lock.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def render(pins: dict[str, str]) -> str:
    """The text of environment.yml for ``pins`` (``{name: version}``), sorted by name."""
    return HEADER + "".join(f"      - {name}=={ver}\n" for name, ver in sorted(pins.items()))


def main() -> None:
    """Write ``environment.yml`` next to ``requirements.lock``, from it."""
    (ROOT / "environment.yml").write_text(render(locked_pins()))


if __name__ == "__main__":
    main()
