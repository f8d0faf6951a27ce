"""Test-run wide rules: notebooks that need a system program are skipped without it.

Notebook 08 drives a real Chromium and notebook 10 a real Redis server. On a learner's
machine without them, those notebooks are skipped with a message saying how to get them;
in CI (``FSL_REQUIRE_BROWSER=1`` / ``FSL_REQUIRE_REDIS=1``, set by ``.ci/run``) a missing
program is a failure instead, so they always run for real there.
"""

from __future__ import annotations

import os
import shutil

import pytest

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
    for item in items:
        need = NEEDS.get(item.path.name)
        if need is None or have(need[0]):
            continue
        program, required_by, advice = need
        if os.environ.get(required_by) != "1":  # required: let it run, and fail, for real
            item.add_marker(pytest.mark.skip(reason=f"{item.path.name} {advice}"))

