"""Where am I? Run the checks of your own exercise notebooks and see each task's status.

Each exercise notebook is executed top to bottom in a fresh kernel (as *Restart & Run All*
would, on the file as last saved), and each check cell's verdict is read back:

- **done**: the check printed ``✅ Task N passed``;
- **failing**: you changed the task's code cell but its check still fails;
- **not started**: the task's code cell still raises ``NotImplementedError``.

From a terminal: ``python -m server.progress`` (or ``make progress``). In JupyterLab: the
:class:`ProgressView` widget in ``notebooks/00_index.ipynb``.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from .widgets._base import LiveTable

__all__ = ["TaskStatus", "ProgressView", "check_notebook", "progress", "next_task"]

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
_TASK = re.compile(r"""task\(\s*(\d+)\s*,\s*(["'])(.*?)\2""")
_HEADING = re.compile(r"^##\s+Task\s+(\d+)", re.MULTILINE)
STUB = "raise NotImplementedError()"


@dataclass(frozen=True)
class TaskStatus:
    """The status of one task of one exercise notebook.

    :ivar notebook: the notebook's file name, e.g. ``"02_events.ipynb"``.
    :ivar task: the task number.
    :ivar title: the task's title, as its check names it.
    :ivar status: ``"done"``, ``"failing"`` or ``"not started"``.
    :ivar message: the check's first line when it failed, else ``""``.
    """

    notebook: str
    task: int
    title: str
    status: str
    message: str = ""


def check_notebook(path: Path, timeout: float = 60.0) -> list[TaskStatus]:
    """Execute one exercise notebook in a fresh kernel and report each task's status.

    :param path: the exercise notebook.
    :param timeout: per-cell timeout, in seconds.
    :returns: one :class:`TaskStatus` per check cell, in task order.
    :raises FileNotFoundError: if ``path`` does not exist.
    """
    # Imported late: nbformat and nbclient take a while to import (jupyter_client, zmq,
    # jsonschema) - the index notebook only needs the widget.
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    # asyncio.run() closes its event loop (nbclient's execute() leaves one open per thread);
    # a thread of its own, because a Jupyter kernel's main thread already runs a loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, client.async_execute()).result()
    statuses, current, untouched = [], None, {}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            heading = _HEADING.search(cell.source)
            current = int(heading.group(1)) if heading else current
        elif "exercise" in tags and current is not None:
            untouched[current] = untouched.get(current, True) and STUB in cell.source
        elif "check" in tags:
            match = _TASK.search(cell.source)
            if not match:
                continue
            number, title = int(match.group(1)), match.group(3)
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if f"✅ Task {number} passed" in text and not errors:
                status, message = "done", ""
            else:
                status = "not started" if untouched.get(number, False) else "failing"
                message = errors[0].evalue.splitlines()[0] if errors and errors[0].evalue else ""
            statuses.append(TaskStatus(path.name, number, title, status, message))
    return statuses


def progress(folder: Path = EXERCISES, workers: int = 2, on_result=None) -> list[TaskStatus]:
    """Check every exercise notebook in ``folder``.

    :param folder: where the exercise notebooks are (default: the kit's ``exercises/``).
    :param workers: how many notebooks run at once (kernels in parallel; default 2).
    :param on_result: optional ``callback(list_of_TaskStatus)`` called as each notebook
        finishes (from a worker thread).
    :returns: all statuses, ordered by notebook then task.
    """
    paths = sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))

    def run(path):
        result = check_notebook(path)
        if on_result:
            on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, paths))
    return [status for result in results for status in result]


def next_task(statuses: list[TaskStatus]) -> TaskStatus | None:
    """The first task, in course order, that is not done; ``None`` when all are done."""
    return next((s for s in statuses if s.status != "done"), None)


def _summary(statuses: list[TaskStatus]) -> str:
    done = sum(s.status == "done" for s in statuses)
    nxt = next_task(statuses)
    head = f"{done} of {len(statuses)} tasks done."
    if nxt is None:
        return head + " All done: well played!"
    return f"{head} Next: exercises/{nxt.notebook}, task {nxt.task} ({nxt.title})."


class ProgressView(widgets.VBox):
    """A button that checks your exercise notebooks, and a table of every task's status.

    The checks run on a background thread (each notebook in its own kernel, a few seconds
    each), so the notebook stays usable; the table fills in as notebooks finish.

    :param folder: the exercise notebooks to check (default: the kit's ``exercises/``).
    """

    COLORS = {"done": "#1a7f37", "failing": "#cf222e", "not started": "#6e7781"}

    def __init__(self, folder: Path = EXERCISES):
        self.folder = Path(folder)
        self.button = widgets.Button(description="Check my progress", icon="check",
                                     button_style="primary")
        self.status = widgets.HTML("Save your exercise notebooks, then press the button.")
        self.table = LiveTable(["notebook", "task", "title", "status", "first line of the check"],
                               title="Exercise progress", max_rows=100)
        self.button.on_click(lambda _button: self.refresh())
        self._thread: threading.Thread | None = None
        super().__init__([self.button, self.status, self.table])

    def refresh(self) -> threading.Thread:
        """Run every check again on a background thread; returns that thread."""
        if self._thread and self._thread.is_alive():
            return self._thread
        self.button.disabled = True
        self.table.clear()
        self.status.value = "Running the checks…"

        def show(result):
            for s in result:
                self.table.add_row([s.notebook, s.task, s.title, s.status, s.message],
                                   self.COLORS[s.status])

        def work():
            try:
                statuses = progress(self.folder, on_result=show)
                self.status.value = f"<b>{_summary(statuses)}</b>"
            except Exception as exc:  # shown in the widget; a thread must not print
                self.status.value = f"Could not run the checks: {type(exc).__name__}: {exc}"
            finally:
                self.button.disabled = False

        self._thread = threading.Thread(target=work, name="progress-checks", daemon=True)
        self._thread.start()
        return self._thread

    def __repr__(self) -> str:
        return "<ProgressView: exercise progress>"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else EXERCISES
    statuses = progress(folder)
    width = max((len(s.notebook) for s in statuses), default=10)
    for s in statuses:
        print(f"{s.notebook:<{width}}  task {s.task}  {s.status:<11}  {s.title}")
    print(_summary(statuses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
