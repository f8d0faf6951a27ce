"""Generate ``exercises/`` from ``solutions/``: author each exercise once.

A solution notebook marks the learner's part of each cell tagged ``exercise`` with
``### BEGIN SOLUTION`` / ``### END SOLUTION`` (nbgrader's convention). The exercise notebook
is the same notebook with each marked region replaced by a stub that raises
``NotImplementedError``, and with no outputs. Every other cell is copied unchanged, so the
two can never drift; ``--check`` fails when ``exercises/`` is out of date (the test suite
runs it that way).

Usage: ``python tools/make_exercises.py [--check] [solutions/NN_topic.ipynb ...]``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
_REGION = re.compile(
    rf"^(?P<indent>[ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*(\n|$)",
    re.DOTALL | re.MULTILINE,
)


def strip_solutions(source: str) -> str:
    """Replace each solution region of ``source`` with the stub, at the region's indent.

    :raises ValueError: if a BEGIN marker has no matching END marker.
    """
    if source.count(BEGIN) != source.count(END):
        raise ValueError(f"unbalanced solution markers in:\n{source}")

    def stub(match: re.Match) -> str:
        indent = match.group("indent")
        return "".join(f"{indent}{line}\n" for line in STUB.splitlines())

    return _REGION.sub(stub, source).rstrip("\n")


def exercise_from(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The learner's notebook for a solution notebook (a new object; input unchanged)."""
    nb = nbformat.from_dict(solution)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
        if "exercise" in cell.metadata.get("tags", []):
            cell.source = strip_solutions(cell.source)
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    only = {(ROOT / a).resolve() for a in argv if not a.startswith("--")}
    stale = []
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        if only and solution.resolve() not in only:
            continue
        target = ROOT / "exercises" / solution.name
        text = nbformat.writes(exercise_from(nbformat.read(solution, as_version=4)))
        if not target.exists() or target.read_text().rstrip("\n") != text.rstrip("\n"):
            stale.append(str(target.relative_to(ROOT)))
            if not check:
                target.parent.mkdir(exist_ok=True)
                target.write_text(text + "\n")
    if stale:
        print(("out of date: " if check else "wrote: ") + ", ".join(stale))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
