"""The merged report's data: every cell of many run reports, addressable by (scenario, platform, method,
Python), its columns and its problems, and the lines that name where they came from.

Read by ``mpcheck merge`` (:mod:`.merge`: the terminal table, Markdown, the job summary), by the HTML page
(:mod:`.html`) and by ``mpcheck run``'s own job summary (one report is a merge of one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..errors import UsageError
from ..runtime import (
    impl_key,
    implementation_title,
    method_key,
    platform_key,
    runtime_key,
    runtime_label,
    version_key,
)
from .report import mismatch_text, read_json
from .results import BAD

#: (scenario, platform, method, runtime label) -> cell; see :attr:`Runtime.label`
Key = Tuple[str, str, str, str]


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class Runtime:
    """The interpreter a report came from: implementation, Python (language) version, its own version,
    and whether it is a free-threaded build."""

    impl: str
    python: str
    impl_version: str
    free_threaded: bool = False

    @classmethod
    def of(cls, report: Dict[str, Any]) -> Runtime:
        python = str(report.get("python", "?"))
        impl = str(report.get("implementation") or "cpython")  # older reports: CPython's (with the GIL)
        own = str(report.get("implementation_version") or python)
        return cls(impl, python, own, report.get("free_threaded") is True)

    @property
    def label(self) -> str:
        """``3.12.10`` for CPython (as reports always said), ``3.14.0t`` for a free-threaded build;
        ``PyPy 8.0.1 (Python 3.11.17)`` otherwise."""
        if self.impl == "cpython":
            return self.python + ("t" if self.free_threaded else "")
        return runtime_label(self.impl, self.python, self.impl_version)

    @property
    def group(self) -> str:
        """The interpreter family a column holds: ``cpython``, ``cpython-t`` (free-threaded), ``pypy``."""
        return self.impl + ("-t" if self.free_threaded else "")

    def sort_key(self) -> Tuple[Any, ...]:
        return runtime_key(self.impl, self.python, self.impl_version, self.free_threaded)


def _group_key(group: str) -> Tuple[Any, ...]:
    """CPython, free-threaded CPython, PyPy: an interpreter family (:attr:`Runtime.group`) in column order."""
    impl, _, t = group.partition("-")
    return (impl_key(impl), t)


def who(labels: Sequence[str]) -> str:
    """Runtime labels as prose: ``Python 3.12.10, 3.13.9; PyPy 8.0.1 (Python 3.11.17)``."""
    cpython = [label for label in labels if label[:1].isdigit()]
    others = [label for label in labels if not label[:1].isdigit()]
    return "; ".join(([f"Python {', '.join(cpython)}"] if cpython else []) + others)


@dataclass(frozen=True)
class Column:
    platform: str
    method: str
    #: the runtime labels this column covers (Pythons of one implementation): one when split by Python
    pythons: Tuple[str, ...]
    split: bool = False
    #: the interpreter family (:attr:`Runtime.group`): ``cpython``, ``cpython-t`` (free-threaded), ``pypy``
    impl: str = "cpython"
    #: the Python versions of ``pythons``, for the range in a header (PyPy's labels are not versions)
    languages: Tuple[str, ...] = ()

    def pythons_label(self) -> str:
        if len(self.pythons) == 1:
            return self.pythons[0]
        versions = self.languages or self.pythons
        t = "t" if self.impl == "cpython-t" else ""
        first, last = _minor(versions[0]) + t, _minor(versions[-1]) + t
        span = first if first == last else f"{first}–{last}"
        return span if self.impl.startswith("cpython") else f"{implementation_title(self.impl)} {span}"

    def header(self) -> str:
        return f"{self.platform}\n{self.method}\n{self.pythons_label()}"


@dataclass(frozen=True)
class Problem:
    """Cells that are not passed/unavailable, grouped when every Python says the same."""

    scenario: str
    platform: str
    method: str
    status: str
    pythons: Tuple[str, ...]
    text: str

    def title(self) -> str:
        return f"{self.scenario} · {self.platform} · {self.method} · {who(self.pythons)}"


class Merged:
    """Every cell of every report, addressable by (scenario, platform, method, python)."""

    def __init__(self) -> None:
        self.cells: Dict[Key, Dict[str, Any]] = {}
        #: (platform, runtime label) -> the report file it came from
        self.sources: Dict[Tuple[str, str], Path] = {}
        #: runtime label -> the runtime
        self.runtimes: Dict[str, Runtime] = {}

    def add(self, path: Path, report: Dict[str, Any]) -> None:
        platform, runtime = str(report["platform"]), Runtime.of(report)
        python = runtime.label
        if (platform, python) in self.sources:
            other = self.sources[(platform, python)]
            raise UsageError(f"{path}: a second report for {platform} {who([python])} (the first is {other})")
        self.sources[(platform, python)] = path
        self.runtimes[python] = runtime
        for cell in report["cells"]:
            key = (str(cell["scenario"]), platform, str(cell["method"]), python)
            self.cells[key] = _clean(cell)

    @property
    def scenarios(self) -> List[str]:
        return sorted({k[0] for k in self.cells})

    def status(self, scenario: str, platform: str, method: str, python: str) -> Optional[str]:
        cell = self.cells.get((scenario, platform, method, python))
        return None if cell is None else str(cell["status"])

    def runtime_key(self, label: str) -> Tuple[Any, ...]:
        runtime = self.runtimes.get(label)
        return runtime.sort_key() if runtime else (impl_key("cpython"), version_key(label), False, ())

    def columns(self) -> List[Column]:
        groups: Dict[Tuple[str, str, str], set] = {}
        for _, platform, method, python in self.cells:
            impl = self.runtimes[python].group if python in self.runtimes else "cpython"
            groups.setdefault((platform, method, impl), set()).add(python)
        columns: List[Column] = []
        order = sorted(groups, key=lambda g: (platform_key(g[0]), method_key(g[1]), _group_key(g[2])))
        for platform, method, impl in order:
            pythons = tuple(sorted(groups[(platform, method, impl)], key=self.runtime_key))
            languages = tuple(self.runtimes[p].python if p in self.runtimes else p for p in pythons)
            differs = any(len({self.status(s, platform, method, p) for p in pythons}) > 1 for s in self.scenarios)
            if differs:
                columns.extend(
                    Column(platform, method, (p,), split=True, impl=impl, languages=(lang,))
                    for p, lang in zip(pythons, languages)
                )
            else:
                columns.append(Column(platform, method, pythons, impl=impl, languages=languages))
        return columns

    def runtime_columns(self) -> List[Column]:
        """Columns grouped by platform, then implementation, then Python, then method (the HTML grid).

        Each platform × implementation is one group of Pythons (``3.9–3.13``) with a column per method when
        every scenario's status under every method agrees on all of them; otherwise it is one group per
        Python. (:meth:`columns` decides per method instead: the narrower table of the terminal.)
        """
        groups: Dict[Tuple[str, str], Dict[str, set]] = {}
        for _, platform, method, python in self.cells:
            impl = self.runtimes[python].group if python in self.runtimes else "cpython"
            groups.setdefault((platform, impl), {}).setdefault(python, set()).add(method)
        columns: List[Column] = []
        for platform, impl in sorted(groups, key=lambda g: (platform_key(g[0]), _group_key(g[1]))):
            by_python = groups[(platform, impl)]
            pythons = tuple(sorted(by_python, key=self.runtime_key))
            methods = sorted(set().union(*by_python.values()), key=method_key)
            languages = tuple(self.runtimes[p].python if p in self.runtimes else p for p in pythons)
            differs = any(
                len({self.status(s, platform, m, p) for p in pythons}) > 1 for s in self.scenarios for m in methods
            )
            if differs:
                columns.extend(
                    Column(platform, m, (p,), split=True, impl=impl, languages=(lang,))
                    for p, lang in zip(pythons, languages)
                    for m in methods
                )
            else:
                columns.extend(Column(platform, m, pythons, impl=impl, languages=languages) for m in methods)
        return columns

    def column_status(self, scenario: str, column: Column) -> Optional[str]:
        """The column's status for a scenario: all its Pythons agree, or it is split by Python."""
        return self.status(scenario, column.platform, column.method, column.pythons[0])

    def column_derived(self, scenario: str, column: Column) -> bool:
        """Whether the column's cells for a scenario expected a fact never observed there (``derived``, issue 31)."""
        for python in column.pythons:
            cell = self.cells.get((scenario, column.platform, column.method, python))
            if cell is not None and cell.get("derived"):
                return True
        return False

    def problems(self) -> List[Problem]:
        grouped: Dict[Tuple[str, str, str, str, str], List[str]] = {}
        for (scenario, platform, method, python), cell in self.cells.items():
            if cell["status"] in BAD:
                key = (scenario, platform, method, str(cell["status"]), mismatch_text(cell))
                grouped.setdefault(key, []).append(python)
        problems = [
            Problem(s, p, m, st, tuple(sorted(pys, key=self.runtime_key)), text)
            for (s, p, m, st, text), pys in grouped.items()
        ]
        return sorted(problems, key=lambda x: (x.scenario, platform_key(x.platform), method_key(x.method)))

    def counts(self) -> Dict[str, int]:
        counts: Dict[str, int] = {}
        for cell in self.cells.values():
            counts[cell["status"]] = counts.get(cell["status"], 0) + 1
        return counts

    @property
    def ok(self) -> bool:
        return not any(cell["status"] in BAD for cell in self.cells.values())


def _clean(cell: Dict[str, Any]) -> Dict[str, Any]:
    """A report cell with the fields the renderers read coerced to their types (reports are input)."""
    cell = dict(cell)
    for name in ("expected", "observed", "mismatches"):
        if not isinstance(cell.get(name), dict):
            cell[name] = {}
    cell["detail"] = str(cell.get("detail") or "")
    return cell


def load(paths: Iterable[Path]) -> Merged:
    merged = Merged()
    for path in paths:
        merged.add(Path(path), read_json(Path(path)))
    return merged


def sources_line(merged: Merged) -> str:
    per_platform: Dict[str, List[str]] = {}
    for platform, python in merged.sources:
        per_platform.setdefault(platform, []).append(python)
    parts = [
        f"{platform}: {who(sorted(per_platform[platform], key=merged.runtime_key))}"
        for platform in sorted(per_platform, key=platform_key)
    ]
    return "; ".join(parts)


def summary_line(merged: Merged) -> str:
    counts = merged.counts()
    order = ["passed", "failed", "timeout", "crashed", "unavailable", "interrupted"]
    text = ", ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "no cells"
    return f"{text} across {len(merged.sources)} report(s)"


def first_cell(merged: Merged, problem: Problem) -> Dict[str, Any]:
    """The report cell of a problem's first Python (all of its Pythons say the same)."""
    return next(
        merged.cells[(problem.scenario, problem.platform, problem.method, p)]
        for p in problem.pythons
        if (problem.scenario, problem.platform, problem.method, p) in merged.cells
    )
