"""The progress view runs a learner's exercise notebooks and reports each task's status."""

from __future__ import annotations

from pathlib import Path

import nbformat

from server.progress import ProgressView, next_task, progress

ROOT = Path(__file__).resolve().parent.parent


def test_done_failing_and_not_started_are_told_apart(tmp_path):
    nb = nbformat.read(ROOT / "exercises" / "02_events.ipynb", as_version=4)
    solved = nbformat.read(ROOT / "solutions" / "02_events.ipynb", as_version=4)
    exercise_cells = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    first, second = exercise_cells[:2]
    nb.cells[first].source = solved.cells[first].source          # task 1: solved
    nb.cells[second].source = (                                    # task 2: a wrong answer
        "@socketio.event\ndef add(numbers):\n    return 0")
    nbformat.write(nb, tmp_path / "02_events.ipynb")

    statuses = progress(tmp_path)

    assert [(s.task, s.status) for s in statuses] == [
        (1, "done"), (2, "failing"), (3, "not started"), (4, "not started")]
    assert statuses[1].message.startswith("❌ Task 2 is not done yet")
    assert next_task(statuses).task == 2


def test_the_widget_has_a_button_and_a_constant_repr():
    view = ProgressView()
    assert view.button.description == "Check my progress"
    assert repr(view) == "<ProgressView: exercise progress>"
