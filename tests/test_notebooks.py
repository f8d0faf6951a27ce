"""The notebooks as a whole: navigation, links and saved outputs.

Strict output comparison is nbval's job (``pytest --nbval`` collects notebooks/ and
solutions/), and so is re-running each lesson's server cells in the same kernel (the
"(run again)" items added in the root ``conftest.py``); these tests cover the rest.
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
import nav  # noqa: E402

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
ALL = LESSONS + SOLUTIONS + sorted((ROOT / "exercises").glob("*.ipynb"))
LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)(#[^)]*)?\)")


def test_navigation_is_up_to_date(capsys):
    assert nav.main(["--check"]) == 0, capsys.readouterr().out + " - run `make nav`"


def test_exercises_are_generated_from_the_current_solutions(capsys):
    assert make_exercises.main(["--check"]) == 0, capsys.readouterr().out + " - run `make exercises`"


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_link_to_a_notebook_resolves(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for target, _ in LINK.findall(cell.source):
                assert (path.parent / target).resolve().exists(), f"{path.name}: broken link {target}"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_after_running_every_cell(path):
    nb = nbformat.read(path, as_version=4)
    unexecuted = [i for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" and c.source.strip() and c.execution_count is None]
    assert not unexecuted, f"cells {unexecuted} were never run: run `make notebooks`"


def test_every_lesson_runs_its_server_cells_twice(request):
    # The "(run again)" items come from the root conftest.py: guard against its rule for
    # spotting a server cell silently matching nothing.
    notebooks = {item.path.name for item in request.session.items
                 if item.path.suffix == ".ipynb" and item.path.parent.name == "notebooks"}
    if not notebooks:
        pytest.skip("the lessons were not collected in this run (run with notebooks/)")
    again = {item.path.name for item in request.session.items if item.name.endswith("(run again)")}
    assert again == notebooks, f"no server cell re-run in {sorted(notebooks - again)}"
