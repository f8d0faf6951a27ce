"""Exercises are honest: every check fails on the notebook as shipped, with a message for the
learner, and passes on the solution.

The solutions' side is proven in two halves: strict nbval re-executes every solution notebook
and compares each check cell's output with the saved one, and the test below asserts that the
saved output of every check cell is its "passed" line. Together: each check passes when run.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
EXERCISES_DIR = ROOT / "exercises"
EXERCISES = sorted(EXERCISES_DIR.glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
TASK = re.compile(r"task\((\d+),")


def browser_missing(path: Path) -> str:
    """Why exercise ``path`` cannot run here ("" if it can): exercise 08 drives Chromium.

    Without one it is skipped, unless FSL_REQUIRE_BROWSER=1 (CI), where it must run.
    """
    from server.browser import find_chromium

    if (not path.name.startswith("08_") or os.environ.get("FSL_REQUIRE_BROWSER") == "1"
            or find_chromium()):
        return ""
    return f"{path.name} needs Chromium: `sudo apt-get install chromium` (or set CHROMIUM_PATH)"


def check_cells(nb):
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []):
            match = TASK.search(cell.source)
            assert match, f"check cell without `task(N, ...)`:\n{cell.source}"
            yield int(match.group(1)), cell


def test_every_lesson_with_an_exercise_has_its_solution():
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]
    for path in SOLUTIONS:
        assert (ROOT / "notebooks" / path.name).exists(), f"no lesson for {path.name}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebooks_have_numbered_tasks_and_every_saved_check_passed(path):
    nb = nbformat.read(path, as_version=4)
    tasks = [n for n, _ in check_cells(nb)]
    assert 3 <= len(tasks) <= 5 and tasks == list(range(1, len(tasks) + 1)), tasks
    for number, cell in check_cells(nb):
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert f"✅ Task {number} passed" in text, f"{path.name} task {number}: {cell.outputs}"
    exercise_cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    assert exercise_cells and all("### BEGIN SOLUTION" in c.source for c in exercise_cells)


@pytest.fixture(scope="module")
def shipped():
    """Every exercise notebook as shipped, executed: ``{name: notebook with its outputs}``.

    The notebooks run concurrently, each in its own fresh kernel (nbclient's
    ``async_execute``): an unsolved check mostly waits, for a kernel or a reply that never
    comes, so running them side by side takes about as long as the slowest one.
    """
    async def run_all():
        notebooks = {path.name: nbformat.read(path, as_version=4) for path in EXERCISES
                     if not browser_missing(path)}
        clients = [NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                                  resources={"metadata": {"path": str(EXERCISES_DIR)}})
                   for nb in notebooks.values()]
        await asyncio.gather(*(client.async_execute() for client in clients))
        return notebooks

    # Unsolved, a check waits its whole timeout for an event that never comes; a quarter of
    # a second fails it the same way (kernels inherit this process's environment).
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FSL_CHECK_TIMEOUT", "0.25")
        return asyncio.run(run_all())


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_every_check_fails_on_the_exercise_as_shipped_with_a_learner_message(path, shipped):
    if browser_missing(path):
        pytest.skip(browser_missing(path))
    nb = shipped[path.name]
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or "exercise" in tags or "check" in tags:
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"a setup cell failed: {errors[0].ename}: {errors[0].evalue}"
    for number, cell in check_cells(nb):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"task {number}'s check passed on the unsolved exercise"
        assert errors[0].ename == "CheckFailed", f"task {number}: {errors[0].ename}: {errors[0].evalue}"
        assert errors[0].evalue.startswith(f"❌ Task {number} is not done yet:"), errors[0].evalue
