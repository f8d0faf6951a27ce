"""The environments: requirements.lock, environment.yml (conda, Binder) and postBuild agree.

conda-forge cannot be reached from the machines this kit is tested on, so no test creates the
conda environment or builds the Binder image; these tests check what can be checked without:
environment.yml parses, is exactly what ``tools/lock_to_conda.py`` writes from the lock, takes
from conda only what pip cannot bring, and postBuild (run by Binder's repo2docker after it
installed environment.yml) does what the README's conda set-up does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")
# What must come from conda-forge, and nothing else: Python itself, pip (to install the
# rest at the locked versions), and the two servers that are not Python packages.
CONDA_ONLY = ["python=3.11", "pip", "redis-server", "nginx"]

sys.path.insert(0, str(ROOT / "tools"))
import lock_to_conda  # noqa: E402  (tools/ is not a package)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    """``{normalized name: version}`` of requirements.lock."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line.split("#")[0].strip())
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def environment() -> dict:
    """environment.yml, parsed."""
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_section(env: dict) -> list[str]:
    """The entries of environment.yml's ``pip:`` section."""
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1 and list(sections[0]), "environment.yml needs one pip: section"
    return sections[0]


def conda_pip_pins() -> dict[str, str]:
    """``{normalized name: version}`` of environment.yml's ``pip:`` section."""
    pins = {}
    for entry in pip_section(environment()):
        match = PIN.match(entry)
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def readme_conda_commands() -> list[str]:
    """The command lines of the README's conda set-up (the code block after its heading)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### With conda, or on Binder", 1)
    assert len(section) == 2, "README.md has no '### With conda, or on Binder' section"
    block = re.search(r"```bash\n(.*?)```", section[1], re.DOTALL)
    assert block, "the README's conda section has no ```bash block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_environment_yml_pins_exactly_the_locked_versions():
    lock, conda = lock_pins(), conda_pip_pins()
    assert lock, "requirements.lock has no pins"
    differ = {n: (lock.get(n), conda.get(n)) for n in lock.keys() | conda.keys()
              if lock.get(n) != conda.get(n)}
    assert not differ, f"(lock, environment.yml) disagree: {differ}; run `make lock`"


def test_environment_yml_is_what_lock_to_conda_writes():
    written = lock_to_conda.render(lock_to_conda.locked_pins())
    assert (ROOT / "environment.yml").read_text() == written, (
        "environment.yml was edited by hand or is stale: edit tools/lock_to_conda.py, then run "
        "`.venv/bin/python tools/lock_to_conda.py`")


def test_environment_yml_takes_from_conda_only_what_pip_cannot_bring():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert conda == CONDA_ONLY, (
        f"environment.yml's conda packages are {conda}, expected {CONDA_ONLY}: a Python "
        "package belongs in requirements.lock (pip), so conda and pip users get one version")
    entries = pip_section(env)
    # repo2docker sees the local "-e ." and copies the whole repository before it installs.
    assert entries[0] == "-e ."
    strays = [e for e in entries[1:] if not PIN.match(e)]
    assert not strays, f"pip entries that are not name==version pins: {strays}"


def test_postbuild_is_an_executable_bash_script_that_stops_at_the_first_error():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable: chmod +x postBuild"
    if (ROOT / ".git").exists() and shutil.which("git"):
        staged = subprocess.run(["git", "ls-files", "--stage", "postBuild"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
        assert not staged or staged.startswith("100755"), (
            f"git records postBuild without its x bit ({staged.split()[0]}): "
            "git update-index --chmod=+x postBuild")
    lines = [line.strip() for line in post_build.read_text().splitlines()]
    # repo2docker's docs: a shell script starts with #!/bin/bash, and a failing command does
    # not stop the build unless the script says `set -e`.
    assert lines[0] == "#!/bin/bash"
    commands = [line for line in lines if line and not line.startswith("#")]
    assert re.match(r"set -\w*e", commands[0]), "postBuild's first command must be set -e..."
    assert subprocess.run(["bash", "-n", str(post_build)]).returncode == 0


def test_postbuild_does_what_the_readme_conda_set_up_does():
    # Binder does the README's other lines itself: it creates the environment from
    # environment.yml, puts it on PATH and starts Jupyter. The rest must be in postBuild.
    binder_does = ("conda env create", "conda activate", "jupyter lab")
    readme = [c for c in readme_conda_commands() if not c.startswith(binder_does)]
    assert readme, "the README's conda set-up builds nothing beyond the environment?"
    commands = [line.strip() for line in (ROOT / "postBuild").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    steps = [c for c in commands if not c.startswith(("set -", "cd "))]
    assert steps == readme, (
        f"postBuild runs {steps}, the README's conda set-up {readme}: make them the same")


@pytest.mark.manual
def test_postbuild_builds_a_deploy_environment_the_kit_finds(tmp_path):
    """Run postBuild for real in a copy, pip from PyPI: about 30 s with a warm pip cache.

    Not part of ``make test`` (it would install a second .venv-deploy on every run): run it
    with ``.venv/bin/python -m pytest -m manual tests/test_environment.py`` after changing
    postBuild or requirements-deploy.lock.
    """
    for name in ("postBuild", "requirements-deploy.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run([str(tmp_path / "postBuild")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    deploy = tmp_path / ".venv-deploy"
    found = subprocess.run(
        [sys.executable, "-c", "from server.deploy import deploy_bin; print(deploy_bin('gunicorn'))"],
        env=dict(os.environ, FSL_DEPLOY_VENV=str(deploy)), capture_output=True, text=True,
        timeout=60)
    assert found.returncode == 0, found.stderr[-2000:]
    assert Path(found.stdout.strip()) == deploy / "bin" / "gunicorn"
    imports = subprocess.run([str(deploy / "bin" / "python"), "-c", "import gunicorn, gevent, celery"],
                             capture_output=True, text=True, timeout=120)
    assert imports.returncode == 0, imports.stderr[-2000:]


def test_the_running_environment_matches_the_lock():
    # Notebook outputs were saved with these versions; another version may print differently.
    for name in ["flask", "flask-socketio", "python-socketio", "python-engineio",
                 "simple-websocket", "websocket-client", "werkzeug", "ipywidgets", "nbval"]:
        assert version(name) == lock_pins()[name], f"{name}: run `make venv` to re-sync"
