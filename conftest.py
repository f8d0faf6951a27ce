"""Test-run wide rules for the notebooks nbval collects.

* **Run All twice.** After nbval has run a lesson notebook top to bottom in a fresh kernel
  (Restart & Run All) and compared every output, each code cell runs once more in that same
  kernel: the "Run All again" items. Servers restart in place, with no port clash, no stale
  client and no error. Outputs are not compared on that second pass (counters and ids move
  on), only that no cell raises. The items are nbval's own ``IPyNbCell`` with checking off.
  With ``pytest -n N --dist loadfile`` a notebook and its second pass stay on one worker, in
  order, in one kernel. (``--dist loadgroup`` would spread the other tests more finely, but
  with pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
* **Longest first.** With ``--no-loadscope-reorder``, pytest-xdist hands out whole files in
  the order collected, so files are sorted here: any file with a test marked ``slow`` first
  (the load test), then by number of items, most first (a lesson and its second pass). The
  short files then fill in at the end and the workers finish together.
* **System programs.** Notebooks that need a system program are skipped without it.

Notebook 08 drives a real Chromium and notebook 10 a real Redis server. On a learner's
machine without them, those notebooks are skipped with a message saying how to get them;
in CI (``FSL_REQUIRE_BROWSER=1`` / ``FSL_REQUIRE_REDIS=1``, set by ``.ci/run``) a missing
program is a failure instead, so they always run for real there.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

import pytest
from nbval.plugin import IPyNbCell

#: Notebooks whose cells run a second time in the same kernel (the lessons).
RUN_TWICE = "notebooks"

NEEDS = {
    "08_browser_clients.ipynb": (
        "chromium", "FSL_REQUIRE_BROWSER",
        "needs Chromium: `sudo apt-get install chromium` (or set CHROMIUM_PATH)"),
    "10_scaling_out.ipynb": (
        "redis-server", "FSL_REQUIRE_REDIS",
        "needs a Redis server: `sudo apt-get install redis-server`, `brew install redis`, "
        "or `conda install -c conda-forge redis-server` (or set REDIS_SERVER)"),
}


def have(program: str) -> bool:
    """True if ``program`` (or the path in its override variable) can be run."""
    override = {"chromium": "CHROMIUM_PATH", "redis-server": "REDIS_SERVER"}[program]
    candidates = [os.environ.get(override, ""), program]
    if program == "chromium":
        candidates.append("chromium-browser")
    return any(c and shutil.which(c) for c in candidates)


def pytest_collection_modifyitems(config, items):
    items[:] = longest_first(with_second_run(items))
    for item in items:
        need = NEEDS.get(item.path.name)
        if need is None or have(need[0]):
            continue
        program, required_by, advice = need
        if os.environ.get(required_by) != "1":  # required: let it run, and fail, for real
            item.add_marker(pytest.mark.skip(reason=f"{item.path.name} {advice}"))



def with_second_run(items):
    """``items`` with a "Run All again" copy of each lesson's cells after its last cell."""
    out, pending = [], []
    for item in items:
        if pending and (not isinstance(item, IPyNbCell) or item.parent is not pending[0].parent):
            out += again(pending)
            pending = []
        out.append(item)
        if isinstance(item, IPyNbCell) and item.path.parent.name == RUN_TWICE:
            pending.append(item)
    return out + again(pending)


def again(cells):
    """nbval items that re-execute ``cells`` in their notebook's kernel without comparing."""
    return [IPyNbCell.from_parent(cell.parent, name=f"{cell.name} (Run All again)",
                                  cell_num=cell.cell_num, cell=cell.cell,
                                  options=defaultdict(bool, cell.options, check=False))
            for cell in cells]


def longest_first(items):
    """``items`` grouped by file: files with a ``slow`` test first, then the biggest files."""
    files: dict = {}
    for item in items:
        files.setdefault(item.path, []).append(item)

    def weight(path):
        group = files[path]
        return (not any(item.get_closest_marker("slow") for item in group), -len(group))

    return [item for path in sorted(files, key=weight) for item in files[path]]
