"""Re-execute notebooks in place and save them with their outputs.

Strict ``pytest --nbval`` compares fresh outputs with the saved ones, so every notebook in
``notebooks/`` and ``solutions/`` is saved after a clean run of all its cells. This runs
each one top to bottom in a fresh kernel of the current environment (like Restart & Run
All), stores the widget state (so the notebook renders its widgets on GitHub), and writes
it back. Exercise notebooks are not executed: they ship unsolved, without outputs.

Usage: ``python tools/execute.py [PATH ...]`` (files or folders; default: notebooks solutions)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path, timeout: float = 120.0) -> float:
    """Execute ``path`` in place; return the time it took, in seconds.

    :raises nbclient.exceptions.CellExecutionError: if a cell raises unexpectedly (cells
        tagged ``raises-exception`` may raise).
    """
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    client.execute()
    # Pin the kernel metadata so that saved notebooks do not change with who ran them.
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, path)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    targets = argv or ["notebooks", "solutions"]
    paths: list[Path] = []
    for target in targets:
        p = (ROOT / target) if not Path(target).is_absolute() else Path(target)
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    for path in paths:
        seconds = execute(path)
        print(f"{path.relative_to(ROOT)}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
