"""Why the start methods disagree: the likely pitfall, the evidence, where in the code, and the fix.

One engine for every front end that finds a difference (``mpcheck probe``, ``mpcheck suite``, the
pytest plugin). It names a pitfall of :mod:`mpcheck.pitfalls` only when two things hold:

(a) the methods that differ are exactly the methods the pitfall breaks on this platform and Python
    (``Pitfall.broken_methods``, in one of the contexts the pitfall knows: ``Pitfall.forms``; a
    ``set_start_method()`` in the script's top-level code spares forkserver where the server preloads
    the script), among the methods that ran: the others agree with each other, and every broken one
    differs from them;
(b) something in what ran supports it: a hazard of the pitfall the sanitizer saw the code do (at the
    start it watched), a runtime signature of the pitfall in the failure text of a broken method and of
    no unbroken one, or a lint finding of the pitfall's rule in the code that ran.

What the sanitizer saw comes first: it saw the start itself, where a failure's text says only what went
wrong first (pickle names the first object it cannot pickle, which may be a local function of pytest's,
deep in a TestCase a bound method drags along: not the program's lambda that MP101's signature is about).
A signature whose object (``Pitfall.names``) the front end knows is not the program's own is no evidence.

Otherwise it names nothing: a wrong explanation costs the user more than none.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Protocol,
    Sequence,
    Set,
    Tuple,
    Union,
)

from .pitfalls import PITFALLS, Pitfall

if TYPE_CHECKING:
    from rich.console import Console


class LintFinding(Protocol):
    """What the explanation needs of a lint finding (``mpcheck.lint``'s findings have it)."""

    @property
    def code(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Diagnosis:
    """A named likely cause of a difference."""

    pitfall: Pitfall
    evidence: str
    location: Optional[str]  # "path:line" of the lint finding, when there is one
    #: the failure itself carries the pitfall's runtime signature (not only the code that ran shows it)
    signed: bool = False

    @property
    def scenario(self) -> str:
        return self.pitfall.scenarios[0]

    def to_json(self) -> Dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenarios": list(self.pitfall.scenarios),
            "code": self.pitfall.code,
            "title": self.pitfall.title,
            "evidence": self.evidence,
            "location": self.location,
            "fix": self.pitfall.fix,
        }


def _partition_fits(outcomes: Mapping[str, Sequence[Any]], broken: Sequence[str]) -> bool:
    """True when the methods outside ``broken`` agree and every method in ``broken`` differs from them.

    ``outcomes`` maps each method that ran to its comparable outcome (a tuple of what differed).
    """
    ran = list(outcomes)
    hit = [m for m in ran if m in broken]
    spared = [m for m in ran if m not in broken]
    if not hit or not spared:
        return False  # breaks every method that ran (a bug, not a difference), or none of them
    reference = repr(outcomes[spared[0]])
    if any(repr(outcomes[m]) != reference for m in spared):
        return False
    return all(repr(outcomes[m]) != reference for m in hit)


_PYTEST_E = re.compile(r"^E\s+")  # pytest's failure lines: "E       AttributeError: ..."
_ERROR_LINE = re.compile(r"^(E\s+)?\s*[A-Za-z_][\w.]*(Error|Exception|Warning|Exit)\b")


#: a qualified name -> whether it is the program's own (True), not (False), or not known (None)
OwnObject = Callable[[str], Optional[bool]]


def _signs(pitfall: Pitfall, text: str, own: Optional[OwnObject]) -> bool:
    """``text`` carries the pitfall's signature, and the objects it is about are not all known to be
    another's than the program's (:attr:`Pitfall.names`)."""
    if not pitfall.matches(text):
        return False
    if own is None:
        return True
    named = pitfall.named_objects(text)
    return not named or any(own(name) is not False for name in named)


def _signature_evidence(
    pitfall: Pitfall, texts: Mapping[str, str], broken: Sequence[str], own: Optional[OwnObject] = None
) -> Optional[str]:
    """The error carrying the pitfall's signature in a broken method's text and in no other's."""
    if any(pitfall.matches(text) for method, text in texts.items() if method not in broken):
        return None
    for method in broken:
        text = texts.get(method, "")
        if not _signs(pitfall, text, own):
            continue
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if pitfall.matches(line):
                # A message wrapped over lines: start from the exception's own line, a few lines up.
                start = next((j for j in range(i, max(-1, i - 6), -1) if _ERROR_LINE.match(lines[j])), i)
                quoted = " ".join(_PYTEST_E.sub("", part).strip() for part in lines[start : i + 1])
                return f"under {method}: {_shorten(quoted)}"
        return f"under {method}: the output carries the signature of {pitfall.name}"
    return None


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diagnose(
    outcomes: Mapping[str, Sequence[Any]],
    texts: Mapping[str, str],
    platform: str,
    version: Union[str, Tuple[int, ...]],
    findings: Iterable[LintFinding] = (),
    pitfalls: Sequence[Pitfall] = PITFALLS,
    failing: Optional[Iterable[str]] = None,
    observed: Iterable[LintFinding] = (),
    own: Optional[OwnObject] = None,
) -> List[Diagnosis]:
    """The pitfalls that explain this difference, or an empty list. A hazard the sanitizer ``observed``
    comes first (those of them whose signature the failure also carries, if any); else, when the failure
    text carries a pitfall's signature, only such pitfalls are named: a hazard lint sees in the code is
    not why this failure happened.

    ``outcomes``: method -> what it observed that differs (comparable; only methods that ran).
    ``texts``: method -> its failure text (exception lines, stderr, warnings), searched for signatures.
    ``findings``: lint findings in the code that ran.
    ``observed``: the sanitizer's hazards where it watched the code run (the same shape as a finding).
    ``own``: tells whether an object a signature names is the program's own (None: not known; every
    signature counts).
    ``failing``: where it is known which side of the difference is wrong (a test fails under some
    methods, passes under the others), those methods: a pitfall fits only if the methods it breaks, among
    those that ran, are exactly these (MP112 breaks fork: never the cause of a test that passes under fork).
    """
    findings, observed = list(findings), list(observed)
    wrong = None if failing is None else {m for m in failing if m in outcomes}
    watched: List[Diagnosis] = []  # the sanitizer saw the code do it
    signed: List[Diagnosis] = []  # the failure itself carries the pitfall's signature
    seen: List[Diagnosis] = []  # only the code that ran shows the pitfall
    for pitfall in pitfalls:
        broken = next(
            (
                f
                for f in pitfall.forms(platform, version)
                if _partition_fits(outcomes, f) and (wrong is None or wrong == {m for m in outcomes if m in f})
            ),
            None,
        )
        if broken is None:
            continue
        saw = [f for f in observed if f.code == pitfall.code]
        found = saw + [f for f in findings if f.code == pitfall.code]
        location = f"{found[0].path}:{found[0].line}" if found else None
        evidence = _signature_evidence(pitfall, texts, broken, own)
        if evidence is not None:
            named = Diagnosis(pitfall, evidence, location, signed=True)
            signed.append(named)
        elif found:
            named = Diagnosis(pitfall, f"{location}: {pitfall.code} {found[0].message}", location)
            seen.append(named)
        else:
            continue
        if saw:
            watched.append(named)
    # What the sanitizer saw at the start comes before a text pattern (the failure names the first object
    # pickle met, not why the program handed it over); among its hazards, those the failure signs.
    # When the failure names its cause, other hazards lint sees in the same code are not why it failed here.
    return [d for d in watched if d.signed] or watched or signed or seen


def hint(method: str, text: str, child_output: str, pitfalls: Sequence[Pitfall] = PITFALLS) -> Optional[str]:
    """One line saying why this failure happened and what to do (a pitfall's :class:`~mpcheck.pitfalls.Hint`),
    or None.

    ``text`` is the failure as the parent saw it (pickling fails there, before any child runs);
    ``child_output`` is what the test's children printed (they fail to *unpickle* a target they cannot
    import, exit with code 1 or, in a Pool, die and leave the task pending).
    """
    for pitfall in pitfalls:
        for one in pitfall.hints:
            line = one.explain(method, text, child_output)
            if line is not None:
                return line
    return None


#: (a file's text, how it is named) -> its lint findings (frozen): every differing test of a file asks
_linted: Dict[Tuple[bytes, str], Tuple[LintFinding, ...]] = {}


def lint_findings(path: Optional[str], shown: Optional[str] = None) -> List[LintFinding]:
    """``mpcheck lint``'s findings in the file of the code that ran (``shown``: how to name it), or none.

    Evidence for a diagnosis, and where it points. A file that cannot be read or parsed says nothing.
    The same text is linted once (a suite with many differing tests in one file asks for it for each).
    """
    if not path or not path.endswith(".py"):
        return []
    from .lint.api import ParseError, check_source

    try:
        key = (Path(path).read_bytes(), shown or path)
        if key not in _linted:
            _linted[key] = tuple(check_source(*key))
    except (OSError, ParseError):
        return []
    return list(_linted[key])


def lint_and_diagnose(
    outcomes: Mapping[str, Sequence[Any]],
    texts: Mapping[str, str],
    platform: str,
    version: Union[str, Tuple[int, ...]],
    path: Optional[str],
    shown: Optional[str] = None,
    observed: Iterable[LintFinding] = (),
    failing: Optional[Iterable[str]] = None,
    project: Optional[Path] = None,
) -> List[Diagnosis]:
    """:func:`diagnose`, with what the sanitizer ``observed`` while the code ran (first: it saw the code run)
    and lint's findings in ``path`` (the file of the code that ran) as evidence; an object a failure names
    counts only where it is defined in the project's own code (``path``, the files the failure passed
    through, the Python files under ``project``: :func:`mpcheck.diagnose.own_object`)."""
    own = None if project is None else own_object(path, texts.values(), project)
    found = lint_findings(path, shown)
    return diagnose(outcomes, texts, platform, version, found, failing=failing, observed=observed, own=own)


def show_diagnoses(console: Console, diagnoses: Sequence[Diagnosis]) -> None:
    """The likely causes under a difference, or a plain word that no known pitfall matches."""
    from rich.text import Text

    if not diagnoses:
        console.print("no known pitfall matches this difference", style="dim", highlight=False)
        return
    for d in diagnoses:
        scenarios = ", ".join(d.pitfall.scenarios)
        console.print(Text.assemble(("likely cause ", "bold"), (d.pitfall.code, "bold magenta"), f" {d.pitfall.title}"))
        console.print(f"  evidence: {d.evidence}", markup=False, highlight=False)
        if d.location:
            console.print(f"  where:    {d.location}", markup=False, highlight=False)
        console.print(f"  fix:      {d.pitfall.fix}", markup=False, highlight=False)
        console.print(
            f"  proven by the catalog's {scenarios} (mpcheck run --scenario {d.scenario}; "
            f"mpcheck lint --explain {d.pitfall.code})",
            markup=False,
            highlight=False,
        )


# --- which code is the project's own -----------------------------------------------------------------------
# A cause is named for the project's own code only: pickle names the first object it cannot pickle, which may be
# pytest's or the standard library's, deep in an object the program handed over.

#: a frame in a failure's text: pytest's ``path:line: ...`` entry ends, or Python's ``File "path", line N``
_FRAME = re.compile(
    r'^(?:\s*File "(?P<file>[^"]+\.py)", line (?P<line>\d+)|(?P<path>[^\s:"<>]+\.py):(?P<lineno>\d+): )', re.M
)


def frames(text: str, cwd: Path) -> List[Tuple[Path, int]]:
    """Each ``(file, line)`` of the failure's frames that is the project's own code (not a library's)."""
    found = []
    for m in _FRAME.finditer(text):
        name, line = (m.group("file"), m.group("line")) if m.group("file") else (m.group("path"), m.group("lineno"))
        path = Path(name)
        path = path if path.is_absolute() else cwd / path
        if "site-packages" in path.parts or "dist-packages" in path.parts or _in_stdlib(path):
            continue
        found.append((path, int(line)))
    return found


def _in_stdlib(path: Path) -> bool:
    import sysconfig

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    try:
        path.resolve().relative_to(stdlib.resolve())
    except (ValueError, OSError):
        return False
    return True


#: the parts of a qualified name that define nothing: a function's ``<locals>``, comprehensions
_NOT_DEFINITIONS = {"<locals>", "<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"}
#: a file -> the qualified names it defines (as :func:`_plain`), read once per run
_defined: Dict[Path, Set[Tuple[str, ...]]] = {}
#: (a project's folder, a qualified name) -> whether one of its files defines it
_defined_under: Dict[Tuple[Path, Tuple[str, ...]], bool] = {}
#: folders that hold no code of the project's own
_NOT_OWN_DIRS = {"site-packages", "dist-packages", "__pycache__", "node_modules"}


def _plain(qualname: str) -> Tuple[str, ...]:
    """A qualified name's definitions, outermost first: ``f.<locals>.g`` -> ``("f", "g")``."""
    return tuple(part for part in qualname.split(".") if part not in _NOT_DEFINITIONS)


def _definitions(path: Path) -> Set[Tuple[str, ...]]:
    """Every function, class and lambda ``path`` defines, by qualified name (:func:`_plain`)."""
    if path not in _defined:
        found: Set[Tuple[str, ...]] = set()

        def walk(node: ast.AST, outer: Tuple[str, ...]) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    name = (*outer, "<lambda>" if isinstance(child, ast.Lambda) else child.name)
                    found.add(name)
                    walk(child, name)
                else:
                    walk(child, outer)

        with contextlib.suppress(OSError, SyntaxError, ValueError, RecursionError):  # unreadable: defines nothing
            walk(ast.parse(path.read_bytes()), ())
        _defined[path] = found
    return _defined[path]


def _project_files(cwd: Path) -> Iterable[Path]:
    """The project's own Python files under ``cwd`` (not a virtual environment's, nor a hidden folder's)."""
    for folder, dirs, names in os.walk(cwd):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and d not in _NOT_OWN_DIRS and not (Path(folder) / d / "pyvenv.cfg").exists()
        ]
        yield from (Path(folder) / n for n in names if n.endswith(".py"))


def own_object(path: Optional[str], texts: Iterable[str], cwd: Path) -> Callable[[str], Optional[bool]]:
    """Whether an object a failure names by qualified name (``f.<locals>.g``, :attr:`Pitfall.names`) is
    defined in the project's own code: ``path`` (the test's file, the probed code's), the project's files
    the failure ``texts`` pass through, or any Python file under ``cwd`` (the project's folder). A local
    function of pytest's or of the standard library's (pickle met it inside a TestCase's state, or an
    ``ArgumentParser`` the program handed over) is defined in none of them. None: not known."""
    first = [Path(path)] if path else []
    for text in texts:
        first += [where for where, _ in frames(text, cwd)]

    def defined_in(wanted: Tuple[str, ...], paths: Iterable[Path]) -> bool:
        key = b"lambda" if wanted[-1] == "<lambda>" else wanted[-1].encode()
        for one in paths:
            one = one if one.is_absolute() else cwd / one
            try:
                if key not in one.read_bytes():
                    continue
            except OSError:
                continue
            if wanted in _definitions(one):
                return True
        return False

    def own(qualname: str) -> Optional[bool]:
        wanted = _plain(qualname)
        if not wanted or not path:  # not knowing the code's file, nothing is known
            return None
        if defined_in(wanted, first):
            return True
        if (cwd, wanted) not in _defined_under:
            _defined_under[(cwd, wanted)] = defined_in(wanted, _project_files(cwd))
        return _defined_under[(cwd, wanted)]

    return own
