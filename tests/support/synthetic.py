"""Reports as a run elsewhere would write them, made from the catalog's own expectations (tests only).

A darwin or win32 report cannot be made on this machine: :func:`synthetic_report` resolves every
scenario's EXPECT for that platform and Python and writes the cells a run would write if every
expectation held (unavailable ones as the engine reports them), with failures and crashes injected
where a test needs them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from mpcheck.catalog import report
from mpcheck.catalog.load import catalog
from mpcheck.catalog.results import CellResult
from mpcheck.expect import METHODS, Matcher, compare, describe

SCENARIOS = catalog()
#: (scenario, method) -> (fact, observed value) to make that cell fail
Failures = Dict[Tuple[str, str], Tuple[str, Any]]
#: (scenario, method) -> (detail, stderr tail) of a cell that crashed
Crashes = Dict[Tuple[str, str], Tuple[str, str]]


def synthetic_report(
    path: Path,
    platform: str,
    python: str,
    failures: Optional[Failures] = None,
    impl: Optional[str] = "cpython",
    impl_version: Optional[str] = None,
    crashes: Optional[Crashes] = None,
    free_threaded: bool = False,
) -> Path:
    """A report as a run on ``platform``/``python`` would write it if every expectation held.

    ``impl`` None: a report from before mpcheck recorded the implementation (no such fields).
    ``free_threaded``: a free-threaded build's report (``python3.14t``).
    """
    failures, crashes = failures or {}, crashes or {}
    version = tuple(int(p) for p in python.split("."))
    impl_version = impl_version or python
    cells = []
    for sid, scenario in sorted(SCENARIOS.items()):
        for method in METHODS:
            where = (method, platform, version, impl or "cpython", impl_version, free_threaded)
            resolved = scenario.expect.resolve(*where)
            cell = CellResult(
                sid, method, "passed", platform=platform, python=python, sys_version=python,
                implementation=impl or "cpython", implementation_version=impl_version,
            )  # fmt: skip
            if resolved.unavailable is not None:
                cell.status, cell.detail = "unavailable", resolved.unavailable
                cells.append(cell)
                continue
            cell.expected = {k: describe(v) for k, v in resolved.facts.items()}
            cell.observed = {k: v for k, v in resolved.facts.items() if not isinstance(v, Matcher)}
            if (sid, method) in failures:
                fact, observed = failures[(sid, method)]
                cell.observed[fact] = observed
                cell.mismatches = compare({fact: resolved.facts[fact]}, {fact: observed})
                cell.status, cell.detail = "failed", f"{len(cell.mismatches)} fact(s) differ from the expectation"
            if (sid, method) in crashes:
                cell.status, (cell.detail, cell.stderr_tail) = "crashed", crashes[(sid, method)]
                cell.observed = {}
            cells.append(cell)
    data = report.to_json(
        cells,
        platform=platform,
        python=python,
        sys_version=python,
        implementation=impl,
        implementation_version=impl_version,
        free_threaded=free_threaded,
    )
    if impl is None:
        del data["implementation"], data["implementation_version"]
        for cell in data["cells"]:
            del cell["implementation"], cell["implementation_version"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


#: user scenarios whose cells pass, fail and crash, with hostile text in what they print and report
HOSTILE_STDERR = '<script>document.title="pwned"</script> | `tick` & "quote" </details></td> %0A ```'
HOSTILE_SCENARIOS = {
    "hostile_output.py": f'''"""A lambda target: fine under fork, a crash under spawn and forkserver."""

import sys
from multiprocessing import Process

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={{"exitcode": 0}})

if __name__ == "__main__":
    sys.stderr.write({HOSTILE_STDERR!r} + "\\n")
    p = Process(target=lambda: None)
    p.start()
    p.join()
    report(exitcode=p.exitcode)
''',
    "sees_main_change.py": '''"""Every child sees the main block's change: wrong under spawn, forkserver."""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"child_sees": "<u>main</u>"})

STATE = "<u>import</u>"


def child(queue):
    queue.put(STATE)


if __name__ == "__main__":
    STATE = "<u>main</u>"
    queue = Queue()
    p = Process(target=child, args=(queue,))
    p.start()
    seen = queue.get(timeout=30)
    p.join()
    report(child_sees=seen)
''',
}


def hostile_scenarios(folder: Path) -> Path:
    """Write :data:`HOSTILE_SCENARIOS` into ``folder`` (for ``mpcheck run --path folder --no-builtin``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in HOSTILE_SCENARIOS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def suite_report(**extra: Any) -> Dict[str, Any]:
    """A suite report as ``mpcheck suite --json`` writes it (two tests that differ, one that agrees)."""

    def test(nodeid: str, status: str, outcomes: Dict[str, str], **more: Any) -> Dict[str, Any]:
        return {
            "nodeid": nodeid,
            "status": status,
            "outcomes": outcomes,
            "first_line": {m: ("AssertionError: <b>x</b> | y" if o == "failed" else "") for m, o in outcomes.items()},
            "exposure": {m: {"default": 1, "explicit": 0} for m in outcomes},
            "reason": more.pop("reason", None),
            "diagnoses": more.pop("diagnoses", []),
            "reruns": {},
            **more,
        }

    every = ("fork", "spawn", "forkserver")
    return {
        "format": "mpcheck-suite/1", "mpcheck": "0.1.0", "python": "3.12.10", "sys_version": "3.12.10",
        "implementation": "cpython", "implementation_version": "3.12.10", "platform": "linux",
        "methods": list(every), "pytest_args": ["-q"], "wall_s": 3.5, "summary": "3 tests: 1 agree, 2 differ",
        "runs": {m: {"wall_s": 1.0, "tests": 3, "sessions": 1, "project_method": None, "leftovers": [],
                     "incomplete": None, "timeout_tracebacks": {}} for m in every},
        "tests": [
            test("t.py::test_a", "differ", {"fork": "passed", "spawn": "failed", "forkserver": "failed"},
                 reason="MP101 A lambda", diagnoses=[{"code": "MP101", "title": "A lambda", "evidence": "e",
                                                      "location": None, "fix": "define it at module level",
                                                      "scenario": "lambda_target", "scenarios": ["lambda_target"]}]),
            test("t.py::test_b", "flaky", {"fork": "passed", "spawn": "passed", "forkserver": "failed"}),
            test("t.py::test_c", "agree", {"fork": "passed", "spawn": "passed", "forkserver": "passed"}),
        ],
        **extra,
    }  # fmt: skip
