"""Exercise checks that cannot be fooled: the shipped stubs and wrong solutions are rejected,
other right ones accepted.

A check that passes a wrong program teaches the wrong thing, and one that fails a correct
program written differently teaches nothing. So beside the tests, ``tests/variants/`` holds,
for every task of every exercise, plausible **wrong** solutions that its check must reject
with a learner-facing message, and **right** ones written differently from the shipped
solution (``@socketio.event`` instead of ``on``, a class-based ``Namespace``...) that it must
accept.

A variant is a file ``tests/variants/<exercise>/task<N>_<wrong|right>_<slug>.py``::

    # wrong: one line saying why this plausible solution is wrong
    # expect: a substring the failure message must contain      (optional, wrong only)
    <source replacing the task's exercise cell(s)>

A task's exercise cells are the cells tagged ``exercise`` after check N-1 and before check
N; when there are several, the variant separates their replacements with a line
``# ---- next exercise cell ----`` (a variant with fewer parts keeps the solution's source
for the rest).

How they run: one kernel per exercise, all exercises side by side (nbclient), like a learner
working through the solution notebook top to bottom who, at each task, first runs the task as
shipped in ``exercises/`` (its stubs, then its check), then tries every variant (its cells,
then the task's check cell) and then the shipped solution, whose check must still pass: one
learner's wrong attempt must not break the next attempt in the same kernel. The stubs and the
wrong variants run with the learner's default ``FSL_CHECK_TIMEOUT``, the right ones and the
solution with a longer one (see ``WRONG_TIMEOUT``).

The stubs' run proves that every check fails on the exercise as the learner gets it, with a
learner's message (``CheckFailed``, "❌ Task N is not done yet: ..."), and that no setup cell
of the exercise fails. An exercise differs from its solution only in the stubs
(``test_exercises_differ_from_their_solutions_only_in_the_stubs`` in tests/test_exercises.py),
so the solution's setup cells with the exercise's stubs are the exercise. Unlike a learner
who opens the exercise, the earlier tasks are solved by then: each check must fail because
*its* task is not done (a check's ``task()`` block turns the NameError of an unsolved earlier
task into a learner's message anyway).
"""

from __future__ import annotations

import asyncio
import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = ROOT / "solutions"
EXERCISES_DIR = ROOT / "exercises"
VARIANTS_DIR = Path(__file__).resolve().parent / "variants"
NAME = re.compile(r"^task(?P<task>\d+)_(?P<kind>wrong|right)_(?P<slug>[a-z0-9_]+)\.py$")
TASK = re.compile(r"task\((\d+),")
SPLIT = re.compile(r"^# ---- next exercise cell ----[ \t]*$", re.MULTILINE)
#: How long a check waits for an event while a wrong variant runs / a right one, in seconds.
#: Wrong: the learner's default: at 0.3 s, with make test's four workers on two cores, an ack
#: a wrong variant does send arrived too late twice, and its check failed at the wrong step
#: (longer would make every wrong variant wait longer for the event it never sends). Right: 3 s,
#: as the Makefile gives the solution notebooks: a passing check ends each wait on arrival.
WRONG_TIMEOUT, RIGHT_TIMEOUT = "1", "3"
#: At most this many kernels at once (the machine has 2 cores; most of a run is waiting).
PARALLEL = 4


@dataclass
class Variant:
    """One alternative solution of one task, read from its file."""

    path: Path
    exercise: str
    task: int
    kind: str
    why: str
    expect: str
    parts: list[str]

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.path.stem}"


@dataclass
class ShippedTask:
    """One task of one exercise as shipped in ``exercises/`` (its stubs, its check)."""

    exercise: str
    task: int

    @property
    def id(self) -> str:
        return f"{self.exercise}/task{self.task}"


@dataclass
class CellError:
    """An error a cell other than the check raised while a task ran."""

    cell: int        # index in the notebook
    exercise: bool   # the cell is one of the task's exercise cells (a stub, a variant's part)
    ename: str
    evalue: str

    def __str__(self) -> str:
        kind = "exercise cell" if self.exercise else "setup cell"
        return f"{kind} {self.cell} raised {self.ename}: {self.evalue}"


@dataclass
class Outcome:
    """What a variant's (or the solution's, or the stubs') run of a task produced."""

    errors: list[CellError] = field(default_factory=list)
    check_error: tuple[str, str] | None = None                     # (ename, evalue)
    check_text: str = ""


def read_variant(path: Path) -> Variant:
    """Parse a variant file.

    :raises ValueError: if the file name or its header lines are not of the documented form.
    """
    match = NAME.match(path.name)
    if not match:
        raise ValueError(f"{path}: name it task<N>_<wrong|right>_<slug>.py")
    lines = path.read_text().splitlines()
    kind = match["kind"]
    if not lines or not lines[0].startswith(f"# {kind}: "):
        raise ValueError(f"{path}: the first line must be '# {kind}: <why>'")
    why, body = lines[0][len(f"# {kind}: "):], lines[1:]
    expect = ""
    if body and body[0].startswith("# expect: "):
        expect, body = body[0][len("# expect: "):], body[1:]
    parts = [p.strip("\n") for p in SPLIT.split("\n".join(body))]
    return Variant(path, path.parent.name, int(match["task"]), kind, why, expect, parts)


def all_variants() -> list[Variant]:
    return [read_variant(p) for p in sorted(VARIANTS_DIR.glob("*/task*.py"))]


VARIANTS = all_variants() if VARIANTS_DIR.exists() else []
SOLUTIONS = sorted(SOLUTIONS_DIR.glob("*.ipynb"))


def unmet_need(exercise: str, config) -> str:
    """Why ``exercise`` (a notebook stem) cannot run here, or "" if it can.

    The exercises that drive Chromium, Redis or nginx need what their notebooks need (the
    root conftest.py's ``NEEDS``, shared by exercise and solution): without it their tests
    are skipped with the command that installs it, unless its ``FSL_REQUIRE_...`` variable
    is ``1`` (CI), where they must run.

    :param config: the pytest config (the root conftest.py is one of its plugins).
    :returns: the skip message, or "".
    """
    root_conftest = config.pluginmanager.get_plugin(str(ROOT / "conftest.py"))
    return root_conftest.unmet_need(f"{exercise}.ipynb")


def tasks_of(nb) -> dict[int, tuple[list[int], int]]:
    """``{task: (indices of the cells before its check, since the previous check), check index}``."""
    out, start = {}, 0
    for index, cell in enumerate(nb.cells):
        if "check" in cell.metadata.get("tags", []):
            number = int(TASK.search(cell.source).group(1))
            out[number] = (list(range(start, index)), index)
            start = index + 1
    return out


def shipped_tasks() -> list[ShippedTask]:
    """Every task of every solution notebook, in order."""
    return [ShippedTask(path.stem, number) for path in SOLUTIONS
            for number in tasks_of(nbformat.read(path, as_version=4))]


SHIPPED = shipped_tasks()


def _shipped_key(exercise: str, task: int) -> str:
    return f"{exercise}/shipped task {task}"


def _error_line(cell) -> tuple[str, str] | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return output.ename, output.evalue
    return None


async def _run_exercise(name: str, variants: list[Variant], gate: asyncio.Semaphore):
    """Run one solution notebook with the shipped stubs and its variants tried at each task.

    :param name: the notebook's file name, in both ``solutions/`` and ``exercises/``.
    :returns: ``{variant id: Outcome}`` plus ``{"<name>/solution task N": Outcome}`` and
        ``{"<name>/shipped task N": Outcome}``.
    """
    nb = nbformat.read(SOLUTIONS_DIR / name, as_version=4)
    shipped = nbformat.read(EXERCISES_DIR / name, as_version=4)
    if [c.metadata.get("tags", []) for c in shipped.cells] != [c.metadata.get("tags", [])
                                                               for c in nb.cells]:
        raise RuntimeError(f"exercises/{name} does not have the cells of solutions/{name}: "
                           "regenerate it with `make exercises`")
    tasks = tasks_of(nb)
    by_task: dict[int, list[Variant]] = {}
    for variant in variants:
        by_task.setdefault(variant.task, []).append(variant)
    results: dict[str, Outcome] = {}
    # nbclient stores each executed cell into its notebook at the given index: give it a
    # scratch copy, so that ``nb`` keeps the solution's own sources.
    client = NotebookClient(copy.deepcopy(nb), timeout=90, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(SOLUTIONS_DIR)}})
    async with gate:
        async with client.async_setup_kernel():
            async def run(source: str, index: int):
                cell = nbformat.v4.new_code_cell(source)
                return await client.async_execute_cell(cell, index, store_history=False)

            async def attempt(indices: list[int], check_index: int, parts: list[str] | None,
                              timeout: str) -> Outcome:
                outcome = Outcome()
                await run(f"import os; os.environ['FSL_CHECK_TIMEOUT'] = {timeout!r}", 0)
                exercise_cells = [i for i in indices
                                  if "exercise" in nb.cells[i].metadata.get("tags", [])]
                for i in indices:
                    source = nb.cells[i].source
                    if parts is not None and i in exercise_cells:
                        k = exercise_cells.index(i)
                        if k < len(parts):
                            source = parts[k]
                    if nb.cells[i].cell_type != "code":
                        continue
                    ran = await run(source, i)
                    error = _error_line(ran)
                    if error and "raises-exception" not in nb.cells[i].metadata.get("tags", []):
                        outcome.errors.append(CellError(i, i in exercise_cells, *error))
                ran = await run(nb.cells[check_index].source, check_index)
                outcome.check_error = _error_line(ran)
                outcome.check_text = "".join(o.get("text", "") for o in ran.outputs
                                             if o.output_type == "stream")
                return outcome

            done_until = 0
            for number in sorted(tasks):
                indices, check_index = tasks[number]
                # The task as the learner gets it: the exercise's stubs in place of its exercise
                # cells; its other cells are the solution's (proven by tests/test_exercises.py's
                # test_exercises_differ_from_their_solutions_only_in_the_stubs).
                stubs = [shipped.cells[i].source for i in indices
                         if "exercise" in nb.cells[i].metadata.get("tags", [])]
                results[_shipped_key(name[:-6], number)] = await attempt(
                    indices, check_index, stubs, WRONG_TIMEOUT)
                for variant in by_task.get(number, []):
                    timeout = WRONG_TIMEOUT if variant.kind == "wrong" else RIGHT_TIMEOUT
                    results[variant.id] = await attempt(indices, check_index, variant.parts,
                                                        timeout)
                results[f"{name[:-6]}/solution task {number}"] = await attempt(
                    indices, check_index, None, RIGHT_TIMEOUT)
                done_until = check_index + 1
            # The notebook's last cells (its teardown) still run, so nothing is left behind.
            for i in range(done_until, len(nb.cells)):
                if nb.cells[i].cell_type == "code":
                    await run(nb.cells[i].source, i)
    return results


@pytest.fixture(scope="module")
def outcomes(request):
    """Every variant's outcome, running only the exercises this session selected."""
    params = [item.callspec.params for item in request.session.items
              if getattr(item, "module", None) is request.module and hasattr(item, "callspec")]
    wanted = {p["variant"].exercise for p in params if "variant" in p}
    wanted |= {p["exercise"] for p in params if "exercise" in p}
    wanted |= {p["shipped"].exercise for p in params if "shipped" in p}
    # An exercise whose tests will skip (no Chromium, Redis or nginx here) is not run.
    wanted = {name for name in wanted if not unmet_need(name, request.config)}
    grouped: dict[str, list[Variant]] = {name: [] for name in sorted(wanted)}
    for variant in VARIANTS:
        if variant.exercise in wanted:
            grouped[variant.exercise].append(variant)

    async def main():
        gate = asyncio.Semaphore(PARALLEL)
        parts = await asyncio.gather(*(_run_exercise(f"{name}.ipynb", group, gate)
                                       for name, group in grouped.items()))
        return {k: v for part in parts for k, v in part.items()}

    return asyncio.run(main())


def _describe(outcome: Outcome) -> str:
    lines = [f"check raised {outcome.check_error[0]}: {outcome.check_error[1]}"
             if outcome.check_error else f"check printed: {outcome.check_text.strip()!r}"]
    lines += [str(error) for error in outcome.errors]
    return "\n".join(lines)


def _skip_without_needs(exercise: str, request) -> None:
    reason = unmet_need(exercise, request.config)
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda s: s.id)
def test_every_check_fails_on_the_shipped_exercise_with_a_learner_message(shipped, request):
    _skip_without_needs(shipped.exercise, request)
    outcome = request.getfixturevalue("outcomes")[_shipped_key(shipped.exercise, shipped.task)]
    where = f"exercises/{shipped.exercise}.ipynb, task {shipped.task}"
    setup = [str(e) for e in outcome.errors if not e.exercise]
    assert not setup, f"{where}: a setup cell failed as shipped:\n" + "\n".join(setup)
    # A stub raises NotImplementedError by design (at once, or when its handler is called).
    stubs = [str(e) for e in outcome.errors if e.exercise and e.ename != "NotImplementedError"]
    assert not stubs, (f"{where}: a stubbed cell raised something other than its stub's "
                       "NotImplementedError:\n" + "\n".join(stubs))
    assert outcome.check_error, (f"{where}: the check PASSED on the unsolved exercise, so the "
                                 "learner sees the task done before writing anything:\n"
                                 + _describe(outcome))
    ename, evalue = outcome.check_error
    assert ename == "CheckFailed", f"{where}: not a learner's message:\n{_describe(outcome)}"
    assert evalue.startswith(f"❌ Task {shipped.task} is not done yet:"), f"{where}: {evalue}"


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_variant_is_judged_right(variant, request):
    _skip_without_needs(variant.exercise, request)
    outcome = request.getfixturevalue("outcomes")[variant.id]
    if variant.kind == "wrong":
        assert outcome.check_error, (f"the check PASSED a wrong solution ({variant.why}):\n"
                                     + _describe(outcome))
        ename, evalue = outcome.check_error
        assert ename == "CheckFailed", _describe(outcome)
        assert evalue.startswith(f"❌ Task {variant.task} is not done yet:"), evalue
        assert "could not run" not in evalue, f"not a learner-facing message:\n{evalue}"
        assert variant.expect in evalue, (f"the message should say {variant.expect!r}:\n"
                                          f"{evalue}")
    else:
        assert not outcome.errors and not outcome.check_error, (
            f"a correct solution ({variant.why}) was rejected:\n" + _describe(outcome))
        assert f"✅ Task {variant.task} passed" in outcome.check_text, _describe(outcome)


@pytest.mark.parametrize("exercise", sorted({v.exercise for v in VARIANTS}))
def test_the_solution_still_passes_after_its_variants(exercise, request):
    # Each task's shipped solution runs after that task's variants in the same kernel.
    _skip_without_needs(exercise, request)
    outcomes = request.getfixturevalue("outcomes")
    failed = {key: _describe(o) for key, o in outcomes.items()
              if key.startswith(f"{exercise}/solution") and (o.check_error or o.errors)}
    assert not failed, failed


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_task_has_wrong_and_right_variants(path):
    nb = nbformat.read(path, as_version=4)
    have = {(v.task, v.kind) for v in VARIANTS if v.exercise == path.stem}
    missing = [f"task {n} {kind}" for n in tasks_of(nb) for kind in ("wrong", "right")
               if (n, kind) not in have]
    assert not missing, f"{path.stem}: no variants for {', '.join(missing)} in tests/variants/"


def test_variant_files_are_well_formed():
    for path in sorted(VARIANTS_DIR.glob("*/*")) if VARIANTS_DIR.exists() else []:
        variant = read_variant(path)
        assert (SOLUTIONS_DIR / f"{variant.exercise}.ipynb").exists(), f"{path}: no such exercise"
        nb = nbformat.read(SOLUTIONS_DIR / f"{variant.exercise}.ipynb", as_version=4)
        assert variant.task in tasks_of(nb), f"{path}: the exercise has no task {variant.task}"
        assert variant.why.strip(), f"{path}: say why it is {variant.kind}"
