"""Write the navigation line at the top and bottom of every notebook.

Each lesson, appendix, exercise and solution notebook gets a first and a last markdown cell tagged
``nav``: previous lesson, contents, next lesson, and the matching exercise / solution / lesson.
Titles come from each notebook's first ``# `` heading. Run it after adding or renaming a
notebook; ``--check`` only reports what is out of date (the test suite runs it that way).

Usage: ``python tools/nav.py [--check] [NOTEBOOK ...]`` (default: every notebook and the index map)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TAG = "nav"


def title_of(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and TAG not in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def appendices(lesson: Path | None = None) -> list[Path]:
    """Appendix notebooks (``NNa_topic.ipynb``, ``NNb_...``): deep dives linked from lesson NN.

    With ``lesson``, only that lesson's appendices.
    """
    found = sorted((ROOT / "notebooks").glob("[0-9][0-9][a-z]_*.ipynb"))
    return [p for p in found if lesson is None or p.name[:2] == lesson.name[:2]]


def lesson_of(appendix: Path) -> Path | None:
    """The lesson an appendix belongs to (same two-digit number), or None."""
    return next((p for p in lessons() if p.name[:2] == appendix.name[:2]), None)


def nav_line(path: Path, titles: dict[Path, str]) -> str:
    """The navigation markdown for ``path`` (a lesson, exercise or solution)."""
    folder = path.parent.name
    order = lessons()[1:]  # the index is the contents page, not a lesson
    lesson = ROOT / "notebooks" / path.name
    parts = []
    if lesson in order:
        i = order.index(lesson)
        prev_nb = order[i - 1] if i > 0 else None
        next_nb = order[i + 1] if i + 1 < len(order) else None
    else:
        prev_nb = next_nb = None
    up = "" if folder == "notebooks" else "../notebooks/"
    if folder == "notebooks" and path in appendices():
        owner = lesson_of(path)
        if owner is not None:
            parts.append(f"< [Back to the lesson: {titles[owner]}]({owner.name})")
        parts.append("[Contents](00_index.ipynb)")
    elif folder == "notebooks":
        if prev_nb:
            parts.append(f"< [{titles[prev_nb]}]({prev_nb.name})")
        parts.append("[Contents](00_index.ipynb)")
        if (ROOT / "exercises" / path.name).exists():
            parts.append(f"[Exercise](../exercises/{path.name})")
        if next_nb:
            parts.append(f"[{titles[next_nb]}]({next_nb.name}) >")
    else:
        # Identical in an exercise and its solution: only `exercise` cells may differ.
        parts.append(f"[Lesson: {titles.get(lesson, lesson.stem)}]({up}{path.name})")
        parts.append(f"[Contents]({up}00_index.ipynb)")
        parts.append(f"[Exercise](../exercises/{path.name})")
        parts.append(f"[Solution](../solutions/{path.name})")
    return " | ".join(parts)


def apply(path: Path, titles: dict[Path, str], check: bool) -> bool:
    """Put the nav cells in place; return True if the notebook changed (or would)."""
    nb = nbformat.read(path, as_version=4)
    line = nav_line(path, titles)
    cells = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    top = nbformat.v4.new_markdown_cell(line, metadata={"tags": [TAG]})
    bottom = nbformat.v4.new_markdown_cell(line, metadata={"tags": [TAG]})
    old = [c.source for c in nb.cells if TAG in c.metadata.get("tags", [])]
    first_ok = nb.cells and TAG in nb.cells[0].metadata.get("tags", [])
    last_ok = nb.cells and TAG in nb.cells[-1].metadata.get("tags", [])
    if old == [line, line] and first_ok and last_ok:
        return False
    if not check:
        # Keep existing cell ids where possible so diffs stay small.
        if first_ok:
            top.id = nb.cells[0].id
        if last_ok:
            bottom.id = nb.cells[-1].id
        nb.cells = [top, *cells, bottom]
        nbformat.write(nb, path)
    return True


def map_markdown(titles: dict[Path, str]) -> str:
    """The index's table of lessons with their exercise and solution, for cells tagged ``map``."""
    rows = ["| # | lesson | practise | solution |", "|---|---|---|---|"]
    for lesson in lessons()[1:]:
        number = lesson.name[:2]
        ex, sol = ROOT / "exercises" / lesson.name, ROOT / "solutions" / lesson.name
        extra = "".join(f"<br>appendix: [{title_of(a)}]({a.name})" for a in appendices(lesson))
        rows.append(
            f"| {number} | [{titles[lesson]}]({lesson.name}){extra} | "
            + (f"[exercise](../exercises/{ex.name})" if ex.exists() else "–") + " | "
            + (f"[solution](../solutions/{sol.name})" if sol.exists() else "–") + " |"
        )
    return "\n".join(rows)


def apply_map(titles: dict[Path, str], check: bool) -> bool:
    """Refresh the ``map`` cell of the index; return True if it changed (or would)."""
    path = ROOT / "notebooks" / "00_index.ipynb"
    if not path.exists():
        return False
    nb = nbformat.read(path, as_version=4)
    table = map_markdown(titles)
    changed = False
    for cell in nb.cells:
        if "map" in cell.metadata.get("tags", []) and cell.source != table:
            cell.source, changed = table, True
    if changed and not check:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    only = {(ROOT / a).resolve() for a in argv if not a.startswith("--")}
    titles = {p: title_of(p) for p in lessons()}
    stale = ["notebooks/00_index.ipynb (map)"] if not only and apply_map(titles, check) else []
    for folder in ("notebooks", "exercises", "solutions"):
        found = sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))
        if folder == "notebooks":
            found = sorted(found + appendices())
        for path in found:
            if path.name == "00_index.ipynb" and folder == "notebooks":
                continue  # the index is the contents page; it links everything itself
            if only and path.resolve() not in only:
                continue
            if apply(path, titles, check):
                stale.append(str(path.relative_to(ROOT)))
    if stale:
        verb = "out of date" if check else "updated"
        print(f"navigation {verb}: " + ", ".join(stale))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
