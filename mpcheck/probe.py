"""``mpcheck probe``: run the user's own function or script under every start method and diff.

Each run is a cell (:func:`mpcheck.engine.launch.launch`): a fresh interpreter, the start method made its
default, the function called as the program's entry point (or the script run as ``__main__``), the
process tree killed at the time limit. Real output is full of pids, timings and addresses, so every
method runs ``--repeat`` times and a fact counts only if it is stable within each method: a fact that
varies between runs of one method is nondeterministic, never a divergence.

A fact is compared at the first of three views that is stable under every method: exactly; with
numbers and addresses masked; masked and with its lines sorted (interleaved output of several
processes). Only a view stable within each method and different across methods is a divergence.

What is compared: the exit code, the return value, the exception, warnings, stdout, stderr and the
processes left running; never files the target writes, unless ``--compare-files GLOB`` asks: then the
runs go one at a time in the current folder, and the files matching GLOB that a run created or changed
(their text, or a digest of bytes that are not text) are one more fact, ``files``. The output says
which of the two it did.

Exit codes: ``mpcheck.errors.EXIT_CODES["probe"]`` (the one table; docs/exit-codes.md).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rich.console import Console
from rich.text import Text

from . import files
from .diagnose import Diagnosis, lint_and_diagnose, show_diagnoses
from .engine.launch import Launched, launch
from .engine.supervise import Supervisor
from .errors import EXIT_FAILED, EXIT_OK, Interrupted, UsageError
from .expect import masked
from .render import styles
from .runtime import current_platform, methods_here, python_version, report_header
from .sanitize import findings as sanitized
from .sanitize.hook import ENV as SANITIZE_ENV

FORMAT = "mpcheck-probe/1"
FUNCTION_RE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
VIEWS = ("exact", "masked", "masked, lines in any order")
ABSENT = "<not reported>"
#: the facts in the order they are shown
ORDER = ("exit_code", "returned", "exception", "warnings", "stdout", "stderr", "leftover_processes", "files")
#: what every probe compares, as the output names it (``files`` only with --compare-files)
COMPARED = "exit code, return value, exception, warnings, stdout, stderr, processes left running"


def _stamps(pattern: Optional[str]) -> Dict[str, Tuple[int, int]]:
    """Each file matching ``pattern`` (relative to the current folder): its modification time and size."""
    if not pattern:
        return {}
    found = {}
    for name in glob.glob(pattern, recursive=True):
        try:
            st = os.stat(name)
        except OSError:
            continue
        if os.path.isfile(name):
            found[Path(name).as_posix()] = (st.st_mtime_ns, st.st_size)
    return found


def written_files(pattern: str, before: Dict[str, Tuple[int, int]]) -> Dict[str, str]:
    """The files matching ``pattern`` that were created or changed since ``before``: path -> text (or
    ``sha256:...`` for bytes that are not UTF-8 text)."""
    written = {}
    for name, stamp in sorted(_stamps(pattern).items()):
        if before.get(name) == stamp:
            continue
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            written[name] = f"<cannot read: {exc.strerror or exc}>"
            continue
        try:
            written[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            written[name] = f"sha256:{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"
    return written


@dataclass(frozen=True)
class Target:
    """What to probe: ``call:pkg.module:function`` or ``script:/abs/path.py`` as the cell sees it."""

    label: str
    cell_target: str
    extra: Tuple[str, ...]

    @property
    def is_function(self) -> bool:
        return self.cell_target.startswith("call:")


@dataclass
class FactFinding:
    name: str
    #: "same", "diverges" or "nondeterministic"
    verdict: str
    #: the view it was compared at (one of VIEWS), None when no view is stable
    view: Optional[str]
    #: method -> the value in each run
    runs: Dict[str, List[Any]]
    #: methods whose runs disagree among themselves at every view
    unstable: List[str] = field(default_factory=list)


@dataclass
class Findings:
    target: str
    methods: List[str]
    repeat: int
    facts: List[FactFinding]
    #: --compare-files's pattern: None when the files the target writes were not compared
    compare_files: Optional[str] = None
    #: the likely causes of the difference (empty when it agrees, or when no known pitfall matches)
    diagnoses: List[Diagnosis] = field(default_factory=list)

    @property
    def diverges(self) -> bool:
        return any(f.verdict == "diverges" for f in self.facts)

    def outcomes(self) -> Dict[str, Tuple[str, ...]]:
        """Method -> what it observed of every diverging fact, at the view the fact was compared at."""
        diverging = [f for f in self.facts if f.verdict == "diverges"]
        return {
            m: tuple(_views(f.runs[m][0])[VIEWS.index(f.view or VIEWS[0])] for f in diverging) for m in self.methods
        }

    def texts(self) -> Dict[str, str]:
        """Method -> everything it printed or raised (its first run), where a pitfall's signature shows."""
        shown = ("exception", "warnings", "stderr", "stdout")
        return {m: "\n".join(_text(f.runs[m][0]) for f in self.facts if f.name in shown) for m in self.methods}

    def to_json(self) -> Dict[str, Any]:
        return {
            **report_header(FORMAT),
            "target": self.target,
            "methods": self.methods,
            "repeat": self.repeat,
            "compare_files": self.compare_files,
            "verdict": "diverges" if self.diverges else "agrees",
            "facts": {
                f.name: {"verdict": f.verdict, "compared": f.view, "unstable": f.unstable, "runs": f.runs}
                for f in self.facts
            },
            "diagnoses": [d.to_json() for d in self.diagnoses],
        }


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(map(str, value))
    return value if isinstance(value, str) else ""


# -- the target -------------------------------------------------------------------------------


def parse_target(text: str, args_json: Optional[str]) -> Target:
    """Check the target and its arguments in the parent; a :class:`UsageError` names what is wrong."""
    args: List[Any] = []
    if args_json is not None:
        try:
            args = json.loads(args_json)
        except ValueError as exc:
            raise UsageError(f"--args: not JSON ({exc})") from None
        if not isinstance(args, list):
            raise UsageError(f"--args: expected a JSON list of positional arguments, got {args_json!r}")
    if text.endswith(".py") or Path(text).is_file():
        path = Path(text)
        files.parse_python(path, "script")
        argv = tuple(a if isinstance(a, str) else json.dumps(a) for a in args)
        return Target(text, f"script:{path.resolve()}", argv)
    if not FUNCTION_RE.match(text):
        raise UsageError(f"target {text!r}: expected pkg.module:function or a path to a .py script")
    return Target(text, f"call:{text}", (json.dumps(args),))


def check_importable(supervisor: Supervisor, target: Target, method: str, timeout: float) -> Optional[str]:
    """Import the module and find the function in a fresh interpreter, never in this one; its file.

    The user's module may change ``os.environ`` or start things at import: done here, that would
    leak into every cell this process launches. A script is its own file.
    """
    if not target.is_function:
        return target.cell_target.partition(":")[2]
    spec = target.cell_target.partition(":")[2]
    out = launch(supervisor, f"check:{spec}", method, "0", timeout)
    if out is None or out.interrupted:
        raise KeyboardInterrupt
    if out.returncode is None:
        raise UsageError(f"importing {spec} did not finish within {timeout:g} s")
    facts = (out.result or {}).get("facts", {})
    if "target_error" not in facts:
        last = (out.stderr_tail.strip().splitlines() or ["no output"])[-1]
        raise UsageError(f"importing {spec} ended the interpreter with exit code {out.returncode}: {last}")
    if facts["target_error"]:
        raise UsageError(f"cannot import {spec}: {facts['target_error']}")
    return facts.get("target_file")


# -- running ----------------------------------------------------------------------------------


def run_facts(out: Optional[Launched]) -> Optional[Dict[str, Any]]:
    """One run's facts: what the bootstrap reported, plus exit code, output and leftovers."""
    if out is None or out.interrupted:
        return None
    facts: Dict[str, Any] = dict((out.result or {}).get("facts", {}))
    facts["exit_code"] = "timeout" if out.returncode is None else out.returncode
    facts["stdout"] = out.stdout_tail
    facts["stderr"] = out.stderr_tail
    # "1234 python -c ...": the pid varies run to run, the command says what was left.
    facts["leftover_processes"] = sorted(d.partition(" ")[2] for d in out.leftovers)
    return facts


def _views(value: Any) -> Tuple[str, str, str]:
    exact = json.dumps(value, sort_keys=True)
    loose = masked(exact)
    if isinstance(value, str):
        return exact, loose, "\n".join(sorted(masked(value).splitlines()))
    return exact, loose, loose


def compare_runs(runs: Dict[str, List[Dict[str, Any]]]) -> List[FactFinding]:
    """Per fact: same, diverges or nondeterministic, from every method's repeated runs."""
    names = {n for method_runs in runs.values() for facts in method_runs for n in facts}
    ordered = [n for n in ORDER if n in names] + sorted(names - set(ORDER))
    findings = []
    for name in ordered:
        values = {m: [facts.get(name, ABSENT) for facts in method_runs] for m, method_runs in runs.items()}
        views = {m: [_views(v) for v in vs] for m, vs in values.items()}
        unstable: List[str] = list(values)
        for i, view in enumerate(VIEWS):
            keys = {m: {vw[i] for vw in vws} for m, vws in views.items()}
            unstable = [m for m, k in keys.items() if len(k) > 1]
            if not unstable:
                verdict = "same" if len({next(iter(k)) for k in keys.values()}) == 1 else "diverges"
                findings.append(FactFinding(name, verdict, view, values))
                break
        else:
            findings.append(FactFinding(name, "nondeterministic", None, values, unstable))
    return findings


def probe(
    target: Target,
    methods: Sequence[str],
    repeat: int,
    timeout: float,
    supervisor: Supervisor,
    compare_files: Optional[str] = None,
) -> Findings:
    """Every method ``repeat`` times; :class:`~mpcheck.errors.Interrupted` when Ctrl-C stopped the runs.
    With ``compare_files`` (a glob), the supervisor must run one cell at a time: each run's files are
    those it created or changed in the current folder."""
    code_file = check_importable(supervisor, target, methods[0], timeout)
    items = [(m, k) for k in range(repeat) for m in methods]
    hazards: List[Any] = []

    def one(item: Tuple[str, int]) -> Optional[Dict[str, Any]]:
        if not compare_files:
            return one_run(item)
        before = _stamps(compare_files)
        facts = one_run(item)
        if facts is not None:
            facts["files"] = written_files(compare_files, before)
        return facts

    def one_run(item: Tuple[str, int]) -> Optional[Dict[str, Any]]:
        method, k = item
        if k:
            return run_facts(launch(supervisor, target.cell_target, method, "default", timeout, target.extra))
        # each method's first run is watched by the sanitizer: what it saw is evidence for a difference
        # (a run it perturbed would only make a fact vary between runs, never differ between methods)
        with tempfile.TemporaryDirectory(prefix="mpcheck-sanitize-") as folder:
            out = launch(
                supervisor, target.cell_target, method, "default", timeout, target.extra, {SANITIZE_ENV: folder}
            )
            hazards.extend(sanitized.read(folder, current_platform(), sys.version_info[:3]).hazards)
        return run_facts(out)

    results = supervisor.map(one, items)
    if supervisor.cancelled or any(r is None for r in results):
        raise Interrupted("the probe's cells were killed")
    runs: Dict[str, List[Dict[str, Any]]] = {m: [] for m in methods}
    for (method, _), facts in zip(items, results):
        assert facts is not None
        runs[method].append(facts)
    findings = Findings(target.label, list(methods), repeat, compare_runs(runs), compare_files)
    if findings.diverges:
        shown = os.path.relpath(code_file) if code_file else None  # the user's file, as they would name it
        findings.diagnoses = lint_and_diagnose(
            findings.outcomes(),
            findings.texts(),
            current_platform(),
            sys.version_info[:3],
            code_file,
            None if shown is None or shown.startswith("..") else shown,
            _unique(h.shown(os.getcwd()) for h in hazards),
            project=Path(code_file).parent if code_file else None,
        )
    return findings


def _unique(hazards: Any) -> List[Any]:
    """One hazard per (pitfall, place), whichever method's run saw it."""
    seen: Dict[Tuple[str, str, int], Any] = {}
    for hazard in hazards:
        seen.setdefault((hazard.code, hazard.path, hazard.line), hazard)
    return list(seen.values())


# -- showing ----------------------------------------------------------------------------------


def _show(value: Any, indent: str) -> str:
    if value == ABSENT:
        return "(not reported)"
    if isinstance(value, str):
        if not value.strip():
            return "(empty)"
        lines = value.rstrip("\n").splitlines()
        if len(lines) == 1:
            return lines[0]
        return "\n" + "\n".join(indent + line for line in lines[-20:])
    return json.dumps(value)


def show(console: Console, findings: Findings) -> None:
    console.print(
        Text.assemble(
            ("mpcheck probe ", "bold"),
            findings.target,
            f" · Python {python_version()} · {current_platform()} · "
            f"{', '.join(findings.methods)} · {findings.repeat} run(s) each",
        )
    )
    width = max(len(m) for m in findings.methods) + 1
    for f in findings.facts:
        if f.verdict == "diverges":
            how = "" if f.view == "exact" else f" (compared {f.view})"
            console.print(Text.assemble(("DIFFERS  ", "bold red"), (f.name, "bold"), how))
            for m in findings.methods:
                console.print(f"  {m + ':':<{width}} {_show(f.runs[m][0], '      ')}", markup=False, highlight=False)
        elif f.verdict == "nondeterministic":
            why = f": differs between runs of the same method ({', '.join(f.unstable)}), so not compared"
            console.print(Text.assemble(("varies   ", "yellow"), (f.name, "bold"), why))
    same = [f.name for f in findings.facts if f.verdict == "same"]
    if same:
        labels = [f.name if f.view == "exact" else f"{f.name} ({f.view})" for f in findings.facts if f.name in same]
        console.print(Text.assemble(("same     ", "green"), ", ".join(labels)))
        for f in findings.facts:
            if f.verdict == "same" and f.name in ("exit_code", "returned", "exception"):
                value = _show(f.runs[findings.methods[0]][0], "    ")
                console.print(f"  {f.name}: {value}", markup=False, highlight=False)
    differ = [f.name for f in findings.facts if f.verdict == "diverges"]
    if findings.compare_files:
        console.print(f"compared: {COMPARED}, files matching {findings.compare_files}", highlight=False)
    else:
        console.print(
            f"compared: {COMPARED}; not the files it writes (--compare-files GLOB compares those)", highlight=False
        )
    if len(findings.methods) < 2:
        console.print("only one start method: nothing to compare", highlight=False)
    elif differ:
        console.print(f"the start methods disagree on: {', '.join(differ)}", style="bold red", highlight=False)
        show_diagnoses(console, findings.diagnoses)
    else:
        console.print("the start methods agree", style="green", highlight=False)


# -- the command ------------------------------------------------------------------------------


def _methods(wanted: Sequence[str]) -> List[str]:
    available = methods_here()
    chosen = list(dict.fromkeys(wanted)) or available
    missing = [m for m in chosen if m not in available]
    if missing:
        raise UsageError(f"--method {missing[0]}: not available on {current_platform()}")
    return chosen


def run(args: argparse.Namespace) -> int:
    """``mpcheck probe``: exit 0 when the methods agree, 1 when they differ."""
    target = parse_target(args.target, args.args_json)
    methods = _methods(args.method)
    files.check_outputs([("--json", args.json)])
    compare_files = getattr(args, "compare_files", None)
    supervisor = Supervisor(jobs=1) if compare_files else Supervisor()  # files: one run at a time
    try:
        findings = probe(target, methods, args.repeat, args.timeout, supervisor, compare_files)
    except KeyboardInterrupt:  # Ctrl-C while checking the target, before the runs
        supervisor.cancel()
        raise Interrupted("the probe's cells were killed") from None
    show(styles.console(), findings)
    if args.json:
        files.write_json(args.json, findings.to_json())
    return EXIT_FAILED if findings.diverges else EXIT_OK
