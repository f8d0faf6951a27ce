"""How long the kit's own checks take: each notebook, and the README's test command.

Prints two tables:

- every notebook in ``notebooks/`` and ``solutions/`` executed top to bottom in a fresh
  kernel, one after another (as ``make notebooks`` does, without saving): wall time, the
  kernel's CPU time, and the kernel start;
- ``make test`` (the README's test command, after set-up) run once: wall time and pytest's
  summary line.

Usage: ``.venv/bin/python benchmarks/bench_suite.py [--notebooks-only | --suite-only]``.
Run it on an otherwise idle machine: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import print_table  # noqa: E402


def time_notebook(path: Path) -> tuple[float, float, float]:
    """Execute ``path`` in a fresh kernel of this environment; outputs are discarded.

    :param path: the notebook.
    :returns: (kernel start in seconds, execution wall time in seconds, kernel CPU time
        during execution in seconds).
    :raises nbclient.exceptions.CellExecutionError: if a cell not tagged
        ``raises-exception`` raises.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    began = time.perf_counter()
    with client.setup_kernel():
        kernel = psutil.Process(client.km.provisioner.process.pid)
        started = time.perf_counter()
        cpu_before = sum(kernel.cpu_times()[:2])
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        cpu = sum(kernel.cpu_times()[:2]) - cpu_before
        ran = time.perf_counter() - started
    return started - began, ran, cpu


def notebooks_table() -> None:
    rows, total = [], 0.0
    for folder in ("notebooks", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            start, ran, cpu = time_notebook(path)
            total += ran
            rows.append([f"{folder}/{path.name}", f"{start:.2f}", f"{ran:.2f}", f"{cpu:.2f}"])
    rows.append(["total (one after another)", "", f"{total:.1f}", ""])
    print_table("notebooks, each in a fresh kernel",
                ["notebook", "kernel start (s)", "run all (s)", "kernel CPU (s)"], rows)


def suite_table() -> None:
    env = dict(os.environ, FSL_REQUIRE_BROWSER="1", FSL_REQUIRE_REDIS="1")
    began = time.perf_counter()
    done = subprocess.run(["make", "-s", "test"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - began
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else f"no output (exit {done.returncode})"
    print_table("the README's test command, after set-up",
                ["command", "wall (s)", "exit code", "pytest says"],
                [["make test", f"{wall:.1f}", str(done.returncode), summary]])
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--notebooks-only", action="store_true")
    only.add_argument("--suite-only", action="store_true")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if not args.suite_only:
        notebooks_table()
    if not args.notebooks_only:
        suite_table()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
