"""Exercises are honest: every check fails on the notebook as shipped, with a message for the
learner, and passes on the solution. The tests here read notebooks only; no kernel runs.

Where each half is proven:

* **Fails as shipped.** ``tests/test_variants.py`` runs one kernel per exercise (the solution
  notebook, top to bottom) and, at each task, first runs the exercise's stubbed cells and the
  task's check (``test_every_check_fails_on_the_shipped_exercise_with_a_learner_message``):
  the check must raise ``CheckFailed`` with "❌ Task N is not done yet: ...", and no setup
  cell may fail. That is a run of the exercise because the two notebooks differ only in the
  stubs, which ``test_exercises_differ_from_their_solutions_only_in_the_stubs`` below proves
  cell by cell (and ``tests/test_notebooks.py`` proves ``exercises/`` is what
  ``tools/make_exercises.py`` writes today).
* **Passes when solved.** Strict nbval re-executes every solution notebook and compares each
  check cell's output with the saved one, and the test below asserts that the saved output of
  every check cell is its "passed" line. Together: each check passes when run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_exercises  # noqa: E402

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
TASK = re.compile(r"task\((\d+),")


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


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercises_differ_from_their_solutions_only_in_the_stubs(path):
    # tests/test_variants.py runs the solution's setup cells with the exercise's stubs and
    # counts that as running the exercise: this is what makes it so.
    solution = nbformat.read(ROOT / "solutions" / path.name, as_version=4).cells
    exercise = nbformat.read(path, as_version=4).cells
    fix = "regenerate it from solutions/ with `make exercises`"
    assert len(exercise) == len(solution), f"{path.name}: not the solution's cells: {fix}"
    for index, (mine, theirs) in enumerate(zip(exercise, solution)):
        where = f"{path.name} cell {index}"
        assert mine.cell_type == theirs.cell_type, f"{where}: not the solution's cell: {fix}"
        tags = theirs.metadata.get("tags", [])
        assert mine.metadata.get("tags", []) == tags, f"{where}: tags differ: {fix}"
        stubbed = "exercise" in tags and theirs.cell_type == "code"
        want = make_exercises.strip_solutions(theirs.source) if stubbed else theirs.source
        assert mine.source == want, f"{where}: differs from the solution's beyond the stubs: {fix}"
