"""The linter's core: read the files as one :class:`~.program.Program`, model the modules that use a
process library, run the selected rules on them, drop what ``# noqa`` silences. Rules register here
with :func:`rule`; they only read the model.

Robust by construction: a file that cannot be read, parsed or analysed is that file's one line; the
rest of the program is still checked. A file that does not parse is a finding of its own
(:data:`SYNTAX_ERROR`) when it names a process library, and is skipped (counted) when it does not.
"""

from __future__ import annotations

import ast
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from .. import pitfalls
from .model import ModuleModel
from .parts import Module, is_test_file
from .program import Program, SourceFile, one_line

#: What a rule yields: the node to point at and the message.
Hit = Tuple[ast.AST, str]
RuleFunc = Callable[[Module], Iterator[Hit]]
RULES: Dict[str, RuleFunc] = {}
#: Preview rules (as ruff has them): not yet measured at 90 % precision or better on real code nobody here
#: wrote; off by default, on with ``--preview`` (or ``preview = true``) or when selected by their own code.
PREVIEW: Set[str] = set()

#: The linter's own finding for a file that names a process library and does not parse: its pitfalls
#: cannot be checked. Not a pitfall (no scenario proves it), never deselected.
SYNTAX_ERROR = "MP000"
NOTICES: Dict[str, Tuple[str, str, str]] = {  # code: (name, title, why)
    SYNTAX_ERROR: (
        "syntax-error",
        "A file that uses a process library and does not parse",
        "The file names multiprocessing or a wrapper library but Python cannot parse it (a Python 2 file, "
        "newer grammar, a deliberately broken fixture), so none of its start-method pitfalls were checked.",
    ),
}

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def line_of(node: ast.AST) -> int:
    """The line a node starts on (every node a rule reports has one)."""
    return int(getattr(node, "lineno", 1))


def rule(code: str, preview: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule for pitfall ``code`` (which must exist in :mod:`mpcheck.pitfalls`); a ``preview``
    rule runs only when asked for (:data:`PREVIEW`)."""
    if pitfalls.get(code) is None:
        raise ValueError(f"no pitfall {code} in mpcheck.pitfalls")

    def register(func: RuleFunc) -> RuleFunc:
        RULES[code] = func
        if preview:
            PREVIEW.add(code)
        return func

    return register


def code_name(code: str) -> str:
    notice = NOTICES.get(code)
    return notice[0] if notice else pitfalls.BY_CODE[code].name


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int  # 1-based, like ruff
    code: str
    message: str

    @property
    def scenarios(self) -> Tuple[str, ...]:
        pitfall = pitfalls.get(self.code)
        return pitfall.scenarios if pitfall else ()


class ParseError(Exception):
    """A file that cannot be read or parsed; ``str()`` is the one line to show."""


class AnalysisError(ParseError):
    """A file whose analysis failed inside the linter (``str()`` is the one line to show)."""


@dataclass
class Report:
    """What one run found: findings, one line per file that could not be read or analysed, the files
    skipped because they do not parse and never name a process library, and what was analysed."""

    findings: List[Finding] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    files: int = 0
    process_files: int = 0  # files that import (or, when they do not parse, name) a process library
    analysed: int = 0  # of those, the ones whose rules ran to the end


def noqa_codes(line: str) -> Optional[FrozenSet[str]]:
    """The codes a ``# noqa`` comment on ``line`` silences: None if there is none, empty for a bare one (all)."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    return frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c) if codes else frozenset()


def _owner(program: Program, node: ast.AST, first: SourceFile, ids: Dict[int, Set[int]]) -> Optional[SourceFile]:
    """The file whose tree holds ``node`` (a rule may point into another module of the program)."""
    for f in [first, *[f for f in program.files if f is not first and f.has_model]]:
        if f.tree is None:
            continue
        known = ids.get(id(f))
        if known is None:
            known = ids[id(f)] = {id(n) for n in ast.walk(f.tree)}
        if id(node) in known:
            return f
    return None


def _thread_target_roots(tree: ast.Module) -> Set[str]:
    """The first names of what ``Thread(target=...)`` calls in ``tree`` run (``jobs`` of ``jobs.run``)."""
    roots: Set[str] = set()
    for node in ast.walk(tree):
        for kw in node.keywords if isinstance(node, ast.Call) else ():
            value = kw.value
            while kw.arg == "target" and isinstance(value, ast.Attribute):
                value = value.value
            if kw.arg == "target" and isinstance(value, ast.Name):
                roots.add(value.id)
    return roots


def _imports_a_process_module(program: Program, f: SourceFile) -> bool:
    """Whether a file drives a module of the tree that names a process library: a test file whose helper
    module's mixin or fixture makes its executor, or a file whose thread runs that module's function."""
    if f.tree is None:
        return False
    tests = is_test_file(f.path)
    targets = _thread_target_roots(f.tree) if b"target" in f.source and b"Thread" in f.source else set()
    if not (tests or targets):
        return False
    for node in f.tree.body:
        names: List[Tuple[str, str]] = []  # (a module, the name the import binds here)
        if isinstance(node, ast.Import):
            names = [(a.name, a.asname or a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = program.relative(f, node.level, node.module) if node.level else (node.module or "")
            for a in node.names:
                names += [(base, a.asname or a.name), (f"{base}.{a.name}", a.asname or a.name)]
        for name, bound in names:
            target = program.find_module(name, f)
            if (
                target is not None
                and target is not f
                and (bound in targets or (tests and target.facts[1]))
                and target.facts[0]
            ):
                return True
    return False


def _lint_files(
    program: Program,
    report: Report,
    entry_modules: Set[Optional[SourceFile]],
    select_for: Optional[Callable[[SourceFile], Iterable[str]]],
    progress: Callable[[str], None],
) -> Dict[Tuple[str, int, int, str], Tuple[SourceFile, Finding]]:
    """Each project of the tree in turn (the files under one project's metadata; all of them when the tree
    is one project): its files that name a process library first, then the others. A project whose
    models no other project's asked for is let go once it is done."""
    raw: Dict[Tuple[str, int, int, str], Tuple[SourceFile, Finding]] = {}
    ids: Dict[int, Set[int]] = {}
    projects: Dict[Optional[Path], List[SourceFile]] = {}
    for f in program.files:
        projects.setdefault(program.project_of(f), []).append(f)
    program.crossed = set() if len(projects) > 1 else None
    # A model and its scopes point at each other: a project let go is garbage for the cyclic collector,
    # which then only walks what was made since the last project (what stays is frozen: gc.freeze()).
    # (PyPy has no gc.freeze(): there the collector walks everything, as it did before projects were let go)
    freeze = program.crossed is not None and hasattr(gc, "freeze") and gc.get_freeze_count() == 0
    try:
        for project, files in projects.items():
            program.current = project
            first = [f for f in files if f.mentions_processes]
            for f in [*first, *[f for f in files if not f.mentions_processes]]:
                progress(f.shown)
                _lint_file(program, report, f, entry_modules, select_for, raw, ids)
            if program.crossed is not None and project not in program.crossed:
                for f in files:
                    ids.pop(id(f), None)
                program.let_go(files)
                if freeze:
                    gc.collect()
                    gc.freeze()
    finally:
        program.current = program.crossed = None
        if freeze:
            gc.unfreeze()
    return raw


def _lint_file(
    program: Program,
    report: Report,
    f: SourceFile,
    entry_modules: Set[Optional[SourceFile]],
    select_for: Optional[Callable[[SourceFile], Iterable[str]]],
    raw: Dict[Tuple[str, int, int, str], Tuple[SourceFile, Finding]],
    ids: Dict[int, Set[int]],
) -> None:
    f.syntax_tree()
    if f.parse_failure is not None:
        if f.facts[0]:
            report.process_files += 1
            line, col, msg = f.parse_failure
            raw[(f.shown, line, col, SYNTAX_ERROR)] = (
                f,
                Finding(
                    f.shown,
                    line,
                    col,
                    SYNTAX_ERROR,
                    f"cannot parse: {msg}: its multiprocessing pitfalls are unchecked",
                ),
            )
        else:
            report.skipped.append(f.shown)
            f.drop_source()
        return
    used = f in entry_modules or _imports_a_process_module(program, f)
    if not f.mentions_processes and not used:
        f.drop_tree()  # parsed again if a model needs it later (rare: its modules were parsed first)
        return
    fresh = not f.modelled
    model = program.model(f)
    if model is None:
        if f.error:
            report.process_files += 1
        return
    if not model.uses_multiprocessing and not used:
        if fresh:  # built only to learn that: a module that asks for it later builds it again
            program.forget(f)
        return
    report.process_files += 1
    codes = sorted(RULES if select_for is None else set(select_for(f)) & set(RULES))
    try:
        for code in codes:
            for node, message in RULES[code](model):
                owner = _owner(program, node, f, ids) or f
                line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
                raw.setdefault((owner.shown, line, col, code), (owner, Finding(owner.shown, line, col, code, message)))
    except Exception as exc:  # RecursionError included: that file's one-line error, the run goes on
        f.error = f"cannot analyse: {one_line(exc)}"
        return
    report.analysed += 1


def check_program(
    files: Sequence[SourceFile],
    select_for: Optional[Callable[[SourceFile], Iterable[str]]] = None,
    metadata_folders: Iterable[Path] = (),
    progress: Callable[[str], None] = lambda name: None,
) -> Report:
    """Lint ``files`` as one program. ``select_for`` gives the rule codes to run for a file (default: all)."""
    report = Report(files=len(files))
    program: Program[Module] = Program(files, ModuleModel, metadata_folders)  # names and paths: no tree yet
    entry_modules = {program.entry_module(ep) for ep in program.entry_points}
    # Each file is parsed once, when it is first needed, and only the trees the rules read stay alive:
    # keeping every tree held 3.4 GB on 14k files. Project by project (_lint_files), the files that name a
    # process library go first: their models parse (and keep) the modules they reach. Every other file is
    # parsed after them (a file that does not parse is reported or counted) and let go unless it drives a
    # module of the tree that starts processes; a project no other asks for is let go when it is done
    # (docs/performance.md). The cyclic collector stays off meanwhile: it would walk the kept trees and
    # models again at each of its runs (on the standard library it made parsing three to four times
    # slower); _lint_files runs it once per project let go, over what was made since.
    collecting = gc.isenabled()
    gc.disable()
    try:
        raw = _lint_files(program, report, entry_modules, select_for, progress)
    finally:
        if collecting:
            gc.enable()
    order = {f.shown: i for i, f in enumerate(files)}
    report.skipped.sort(key=lambda shown: order.get(shown, 0))
    for f in files:
        if f.error:
            report.errors.append(f"{f.shown}: {f.error}")
    allowed: Dict[int, Set[str]] = {}
    for owner, finding in raw.values():
        if finding.code != SYNTAX_ERROR and select_for is not None:
            if id(owner) not in allowed:
                allowed[id(owner)] = set(select_for(owner))
            if finding.code not in allowed[id(owner)]:
                continue
        kept = _unsilenced(owner, finding)
        if kept is not None:
            report.findings.append(kept)
    report.findings.sort()
    return report


def _unsilenced(owner: SourceFile, f: Finding) -> Optional[Finding]:
    lines = owner.source.splitlines()
    raw = lines[f.line - 1] if f.line <= len(lines) else b""
    silenced = noqa_codes(raw.decode("utf-8", errors="replace"))
    if silenced is not None and (not silenced or f.code in silenced):
        return None
    # ast counts columns in UTF-8 bytes; editors, ruff and SARIF count characters
    col = len(raw[: f.col - 1].decode("utf-8", errors="replace")) + 1
    return Finding(f.path, f.line, col, f.code, f.message)


def check_source(source: bytes, path: str = "<string>", select: Optional[Iterable[str]] = None) -> List[Finding]:
    """Lint one file's bytes as a program of its own; ``select`` is the rule codes to run (default: all).

    Raises :class:`ParseError` when it does not parse, :class:`AnalysisError` when its analysis failed.
    """
    file = SourceFile(Path(path), source)
    codes = None if select is None else frozenset(select)
    report = check_program([file], None if codes is None else (lambda _f: codes))
    if file.parse_failure is not None:
        line, col, msg = file.parse_failure
        raise ParseError(f"{path}:{line}:{col}: cannot parse: {msg}")
    if report.errors:
        raise AnalysisError(report.errors[0])
    return report.findings
