"""Test-run wide rules for the notebooks nbval collects.

* **Every server cell runs twice.** nbval runs each notebook top to bottom in a fresh kernel
  (Restart & Run All) and compares every output with the saved one. In the lessons, each
  server cell (one that starts a server, a Redis, or a process it waits on until ready) runs
  a second time right after the first, as a learner does after editing a handler: the
  "(run again)" items, nbval's own ``IPyNbCell`` with output checking off. The server
  started first must give way cleanly (no "address already in use", no error), and every
  later cell must still produce its saved output: a zombie server, a leftover client or a
  doubled handler would show there. With ``pytest -n N --dist loadfile`` a notebook stays on
  one worker, in order, in one kernel. (``--dist loadgroup`` would spread the other tests
  more finely, but with pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
* **Longest first.** With ``--no-loadscope-reorder``, pytest-xdist hands out whole files in
  the order collected, so files are sorted here: any file with a test marked ``slow`` first
  (the load test), then by number of items, most first (the lessons). The
  short files then fill in at the end and the workers finish together.
* **System programs.** Notebooks that need a system program are skipped without it.
* **A kernel that never answers is started once more.** One fresh-clone CI run in about
  fifteen (some 40 nbval kernels each) lost a whole notebook to "Kernel didn't respond in 60
  seconds": jupyter_client's ``wait_for_ready`` saw the kernel process alive but never got its
  ``kernel_info`` reply and an IOPub message. Kernel start-up hangs of this kind are reported
  against ipykernel 7 (microsoft/vscode-jupyter issues 17228 and 17481; treebeardtech/nbmake
  issue 129 with xdist). :func:`_start_kernel_retrying_once` gives nbval's kernel start a
  second attempt, and keeps the kernel's stderr (nbval sends it to ``/dev/null``) so that a
  failed attempt prints what the kernel said. It retries the start only, never a cell.

Notebook 08 drives a real Chromium and notebook 10 a real Redis server. On a learner's
machine without them, those notebooks are skipped with a message saying how to get them;
in CI (``FSL_REQUIRE_BROWSER=1`` / ``FSL_REQUIRE_REDIS=1``, set by ``.ci/run``) a missing
program is a failure instead, so they always run for real there. Lesson 10 (deploying)
and ``tests/test_deploy.py`` also need nginx (``FSL_REQUIRE_NGINX=1`` in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict

import nbval.kernel
import pytest
from nbval.plugin import IPyNbCell

_nbval_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_retrying_once(startup_timeout=60, kernel_name="python", **kwargs):
    """nbval's ``start_new_kernel``, tried twice, with the kernel's stderr kept for a failure.

    :param startup_timeout: seconds each attempt waits for the kernel (nbval's
        ``--nbval-kernel-startup-timeout``, 60 by default).
    :param kernel_name: the kernel to start.
    :param kwargs: passed on (``cwd``); ``stderr`` is replaced by a temporary file.
    :returns: nbval's ``(KernelManager, KernelClient)``.
    :raises RuntimeError: jupyter_client's, if the second attempt fails too (nbval shuts the
        kernel of a failed attempt down itself).
    """
    given = kwargs.pop("stderr", None)
    if given is not None:
        given.close()  # nbval's open(os.devnull, "w"), replaced below
    for attempt in (1, 2):
        handle, path = tempfile.mkstemp(prefix="fsl-kernel-", suffix=".stderr")
        try:
            with os.fdopen(handle, "w") as stderr:  # the kernel keeps its own copy of the file
                kwargs["stderr"] = stderr
                return _nbval_start_new_kernel(startup_timeout=startup_timeout,
                                               kernel_name=kernel_name, **kwargs)
        except RuntimeError as error:
            with open(path) as stderr:
                said = stderr.read()[-3000:].strip() or "(nothing)"
            sys.__stderr__.write(f"\nconftest: kernel start, attempt {attempt} of 2, failed: "
                                 f"{error}; the kernel's stderr:\n{said}\n")
            if attempt == 2:
                raise
        finally:
            os.unlink(path)


nbval.kernel.start_new_kernel = _start_kernel_retrying_once

#: Notebooks whose server cells run a second time in the same kernel (the lessons).
RUN_TWICE = "notebooks"
#: A server cell starts something that keeps running: a server in the kernel, a Redis, or a
#: process that is waited on until it is ready (a worker that runs to completion is not one:
#: run twice, it does its job twice).
SERVER_CALL = re.compile(r"\bstart_(server|redis|nginx|gunicorn|celery_worker)\(")
PROCESS_CALL = re.compile(r"\bstart_process\(")

NEEDS = {
    "08_browser_clients.ipynb": (
        "chromium", "FSL_REQUIRE_BROWSER",
        "needs Chromium: `sudo apt-get install chromium` (or set CHROMIUM_PATH)"),
    "11_scaling_out.ipynb": (
        "redis-server", "FSL_REQUIRE_REDIS",
        "needs a Redis server: `sudo apt-get install redis-server`, `brew install redis`, "
        "or `conda install -c conda-forge redis-server` (or set REDIS_SERVER)"),
}
#: nginx, for lesson 10 (deploying) and its tests (a value may list several needs).
NGINX = ("nginx", "FSL_REQUIRE_NGINX",
         "needs nginx: `sudo apt-get install nginx`, `brew install nginx`, "
         "or `conda install -c conda-forge nginx` (or set NGINX)")
NEEDS.update({
    "10_deploying.ipynb": [NGINX, NEEDS["08_browser_clients.ipynb"]],   # lesson and exercise
    "10a_appendix_tls_scaling_celery.ipynb": [
        NGINX, NEEDS["11_scaling_out.ipynb"], NEEDS["08_browser_clients.ipynb"]],
    "test_deploy.py": [NGINX, NEEDS["11_scaling_out.ipynb"], NEEDS["08_browser_clients.ipynb"]],
})
#: Lessons 13 and 14 drive Chromium (their solutions, of the same name, are skipped with them,
#: as 10_deploying's are); appendix 13b runs server processes that share a Redis.
NEEDS.update({
    "13_users.ipynb": NEEDS["08_browser_clients.ipynb"],
    "14_unreliable_networks.ipynb": NEEDS["08_browser_clients.ipynb"],
    "13b_appendix_users_across_processes.ipynb": NEEDS["11_scaling_out.ipynb"],
})

#: Lesson 15 (troubleshooting) drives Chromium: the old 2.x client, a page from another
#: origin, the Admin UI (its solution, of the same name, is skipped with it).
NEEDS["15_troubleshooting.ipynb"] = NEEDS["08_browser_clients.ipynb"]


def have(program: str) -> bool:
    """True if ``program`` (or the path in its override variable) can be run."""
    if program == "chromium":  # the kit's own lookup: also finds `playwright install chromium`
        from server.browser import find_chromium

        path = find_chromium()
        return bool(path and shutil.which(path))
    override = {"redis-server": "REDIS_SERVER", "nginx": "NGINX"}[program]
    candidates = [os.environ.get(override, ""), program]
    if program == "nginx":
        candidates.append("/usr/sbin/nginx")  # Debian's, often not on a user's PATH
    return any(c and shutil.which(c) for c in candidates)


def pytest_collection_modifyitems(config, items):
    items[:] = longest_first(with_server_cells_twice(items))
    for item in items:
        reason = unmet_need(item.path.name)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def unmet_need(name: str) -> str:
    """Why the file ``name`` (``"08_browser_clients.ipynb"``) cannot run here, or ``""``.

    :returns: the skip message for the first program in ``NEEDS[name]`` that is missing,
        unless its ``FSL_REQUIRE_...`` variable is ``1`` (CI): then ``""``, so that the file
        runs, and fails, for real. tests/test_variants.py asks the same for each exercise.
    """
    needs = NEEDS.get(name) or []
    for program, required_by, advice in ([needs] if isinstance(needs, tuple) else needs):
        if not have(program) and os.environ.get(required_by) != "1":
            return f"{name} {advice}"
    return ""


def with_server_cells_twice(items):
    """``items`` with each lesson's server cells run a second time, right after the first."""
    out = []
    for item in items:
        out.append(item)
        if (isinstance(item, IPyNbCell) and item.path.parent.name == RUN_TWICE
                and is_server_cell(item.cell.source)):
            out.append(IPyNbCell.from_parent(
                item.parent, name=f"{item.name} (run again)", cell_num=item.cell_num,
                cell=item.cell, options=defaultdict(bool, item.options, check=False)))
    return out


def is_server_cell(source: str) -> bool:
    """Whether a cell starts a server, a Redis or a process waited on until it is ready."""
    return bool(SERVER_CALL.search(source)
                or (PROCESS_CALL.search(source) and "ready_" in source))


def longest_first(items):
    """``items`` grouped by file: files with a ``slow`` test first, then files with an
    ``early`` one (minutes on one worker, so they must not start last), then the biggest."""
    files: dict = {}
    for item in items:
        files.setdefault(item.path, []).append(item)

    def weight(path):
        group = files[path]
        return (not any(item.get_closest_marker("slow") for item in group),
                not any(item.get_closest_marker("early") for item in group), -len(group))

    return [item for path in sorted(files, key=weight) for item in files[path]]
