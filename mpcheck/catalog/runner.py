"""Run (scenario, start method) cells, each in a fresh interpreter, and judge them against ``EXPECT``.

Every front end of the catalog (the CLI, the project's pytest items, nox, the benchmark) comes through
:class:`Run`: :meth:`Run.cell` for one cell, :meth:`Run.run` for many, slowest first. Starting,
watching and killing a cell is :mod:`mpcheck.engine`'s; here is what a cell's outcome means.
"""

from __future__ import annotations

import signal
import sys
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..engine.launch import launch
from ..engine.supervise import DRAIN_S, Supervisor
from ..expect import METHODS, Matcher, compare, describe, implementation, is_free_threaded, judged_as
from ..runtime import current_platform, methods_here
from . import durations, provenance
from .load import Scenario
from .results import CellResult

DEFAULT_TIMEOUT = 60.0

Cell = Tuple[Scenario, str]


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


class Run:
    """A set of cells run in parallel, slowest first, cancellable from another thread (Ctrl-C)."""

    def __init__(self, timeout: Optional[float] = None, jobs: Optional[int] = None) -> None:
        self.timeout = timeout
        self.supervisor = Supervisor(jobs)

    @property
    def jobs(self) -> int:
        return self.supervisor.jobs

    @property
    def cancelled(self) -> bool:
        return self.supervisor.cancelled

    def cancel(self) -> None:
        self.supervisor.cancel()

    # -- one cell -----------------------------------------------------------------------------

    def cell(self, scenario: Scenario, method: str) -> CellResult:
        if method not in METHODS:
            raise ValueError(f"unknown start method {method!r}")
        impl, impl_version = implementation()
        platform = current_platform()
        resolved = scenario.expect.resolve(
            method, platform, sys.version_info[:3], judged_as(impl), impl_version, is_free_threaded()
        )
        unavailable = availability(scenario, method, platform, resolved.unavailable, methods_here())
        if unavailable is not None:
            return CellResult(scenario.id, method, "unavailable", detail=unavailable)
        expected = resolved.facts
        timeout = scenario.expect.timeout or self.timeout or DEFAULT_TIMEOUT
        if self.timeout is not None and scenario.expect.timeout is not None:
            timeout = max(self.timeout, scenario.expect.timeout)
        result = CellResult(scenario.id, method, "crashed", expected={k: describe(v) for k, v in expected.items()})
        result.loose = sorted(k for k, v in expected.items() if isinstance(v, Matcher))
        set_method = "1" if scenario.expect.set_method else "0"
        launched = launch(self.supervisor, str(scenario.path), method, set_method, timeout)
        if launched is None:
            result.status, result.detail = "interrupted", "not started: the run was interrupted"
            return result
        result.duration_s = launched.duration_s
        result.stderr_tail = launched.stderr_tail
        result.stdout_tail = launched.stdout_tail
        reported = self._read_result(result, launched.result)  # shown for timeouts and crashes too
        if launched.returncode is None:
            if launched.interrupted:
                result.status, result.detail = "interrupted", "killed: the run was interrupted"
            else:
                result.status = "timeout"
                result.detail = f"still running after {timeout:g} s: its process tree was killed"
        else:
            self._judge(result, launched.returncode, reported, expected, launched.leftovers)
        if launched.leftover_files:
            self._leftover_files(result, launched.leftover_files)
        if platform in provenance.DERIVED_PLATFORMS:
            self._mark_derived(result, scenario.id, method, platform, judged_as(impl), expected)
        return result

    @staticmethod
    def _mark_derived(
        result: CellResult, scenario: str, method: str, platform: str, impl: str, expected: Dict[str, Any]
    ) -> None:
        """Name the facts whose expectation here was never observed (derived from a source line, not a stored
        run), and say so where one is contradicted: a first run on macOS or Windows is then a list to fix."""
        python = ".".join(map(str, sys.version_info[:3]))
        for fact, value in expected.items():
            prov = provenance.provenance(scenario, method, platform, impl, python, fact, value)
            if prov["kind"] != "derived":
                continue
            result.derived.append(fact)
            if fact in result.mismatches:
                source = prov["source"] or "no source declared"
                result.mismatches[fact] = f"derived expectation contradicted (from {source}): {result.mismatches[fact]}"

    @staticmethod
    def _leftover_files(result: CellResult, failures: List[str]) -> None:
        """The cell's temporary folder would not go (Windows: a process that escaped the tree holds a file):
        a leftover of this cell, which fails it, and never the end of the run."""
        result.mismatches["leftover_files"] = "could not be removed after the cell ended: " + "; ".join(failures)
        if result.status == "passed":
            result.status = "failed"
            result.detail = f"{len(result.mismatches)} fact(s) differ from the expectation"

    @staticmethod
    def _read_result(result: CellResult, data: Optional[Dict[str, Any]]) -> bool:
        if data is None:
            return False
        result.observed = data.get("facts", {})
        result.sys_version = data.get("sys_version", result.sys_version)
        result.implementation = data.get("implementation", result.implementation)
        result.implementation_version = data.get("implementation_version", result.implementation_version)
        return True

    @staticmethod
    def _judge(
        result: CellResult, returncode: int, reported: bool, expected: Dict[str, Any], leftovers: List[str]
    ) -> None:
        if returncode != 0:
            how = f"killed by {_signal_name(returncode)}" if returncode < 0 else f"exit code {returncode}"
            result.status, result.detail = "crashed", f"the scenario's interpreter ended with {how}"
            return
        if not reported:
            result.status, result.detail = "crashed", "the scenario exited 0 without reporting any fact"
            return
        result.mismatches = compare(expected, result.observed)
        if leftovers:
            result.mismatches["leftover_processes"] = (
                f"still running {DRAIN_S:g} s after the scenario exited (killed): " + "; ".join(leftovers)
            )
        result.status = "failed" if result.mismatches else "passed"
        if result.mismatches:
            result.detail = f"{len(result.mismatches)} fact(s) differ from the expectation"

    # -- many cells ---------------------------------------------------------------------------

    def run(self, cells: Sequence[Cell], on_result: Optional[Callable[[CellResult], None]] = None) -> List[CellResult]:
        """Run ``(scenario, method)`` cells, slowest first; results in the order given.

        On Ctrl-C every running cell's tree is killed and the cells finished so far are returned;
        :attr:`cancelled` tells the caller.
        """
        cost = durations.load()
        order = sorted(range(len(cells)), key=lambda i: -durations.estimate(cost, cells[i][0].id, cells[i][1]))

        def one(i: int) -> CellResult:
            res = self.cell(*cells[i])
            if on_result:
                on_result(res)
            return res

        results: List[Optional[CellResult]] = [None] * len(cells)
        for i, res in zip(order, self.supervisor.map(one, order)):
            results[i] = res
        finished = [r for r in results if r is not None]
        durations.save(cost, finished)
        return finished


def availability(
    scenario: Scenario, method: str, platform: str, table_says: Optional[str], here: Sequence[str]
) -> Optional[str]:
    """Why the cell cannot run here (None: it can), from mpcheck's table (``table_says``, the expectation's
    ``unavailable``) and from the interpreter itself (``here``: ``multiprocessing.get_all_start_methods()``).

    Where the two disagree the cell is unavailable and its detail says so, naming both: a build without a
    method the table promises (a macOS Python without fork server support, ``reduction.HAVE_SEND_HANDLE``
    false), or an interpreter that has one the table denies (so the catalog has no expectation for it).
    """
    needed = [method] + [m for m in scenario.expect.requires if m != method]
    lacking = [m for m in needed if m not in here]
    listed = f"multiprocessing.get_all_start_methods() lists {', '.join(here) or 'none'}"
    if table_says is not None:
        if lacking:
            return table_says
        return f"{table_says}; yet this interpreter's {listed}: mpcheck's table has no expectation for it on {platform}"
    if lacking:
        return (
            f"the table and the interpreter disagree: mpcheck.methods.AVAILABLE says {platform} has "
            f"{', '.join(repr(m) for m in lacking)}, but this interpreter's {listed}"
        )
    return None


def cells_for(scenarios: Iterable[Scenario], methods: Iterable[str]) -> List[Cell]:
    methods = list(methods)
    return [(s, m) for s in scenarios for m in methods]
