"""``[tool.mpcheck.lint]`` in pyproject.toml: ``select``, ``ignore``, ``per-file-ignores``, ``exclude``, ``preview``,
``target-version``; and the project's ``requires-python``, which the target version follows by default.

Codes are matched as prefixes, like ruff's (``MP1`` selects every rule). A preview rule (:data:`~.core.PREVIEW`)
runs only with ``preview = true`` (``--preview``) or when selected by its own full code. The nearest pyproject.toml
from the current folder upwards that has the table is used; ``--config FILE`` names one. Anything
malformed is a :class:`~mpcheck.errors.UsageError` (one line, exit 2).
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

from ..errors import UsageError
from .api import PREVIEW, RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

_KEYS = {"select", "ignore", "per-file-ignores", "exclude", "extend-exclude", "preview", "target-version"}

#: ``3.12``, ``py312`` (ruff's spelling) or ``py3.12``
_TARGET = re.compile(r"^(?:py)?3\.?(\d{1,2})$")
#: a ``requires-python`` clause that sets a lower bound: ``>=3.9``, ``>3.8``, ``~=3.10``, ``==3.11.*``
_LOWER_BOUND = re.compile(r"^\s*(>=|~=|==|>)\s*3\.(\d+)")


def target_version(text: str, where: str) -> Tuple[int, int]:
    """``(3, 12)`` from ``3.12`` or ``py312``; anything else is a usage error."""
    found = _TARGET.match(text.strip().lower())
    if not found:
        raise UsageError(f"{where}: expected a Python version such as 3.12 or py312, got {text!r}")
    return (3, int(found.group(1)))


def requires_python(start: Path) -> Optional[Tuple[Tuple[int, int], Path]]:
    """The lowest Python the nearest pyproject.toml (from ``start`` upwards) allows in ``[project]
    requires-python``, with that file; None when there is none or it sets no lower bound."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        spec = _read(candidate).get("project", {}).get("requires-python")
        if not isinstance(spec, str):
            return None
        bounds = [_LOWER_BOUND.match(clause) for clause in spec.split(",")]
        lows = [(3, int(b.group(2)) + (1 if b.group(1) == ">" else 0)) for b in bounds if b]
        return (max(lows), candidate) if lows else None
    return None


def expand(codes: Iterable[str], where: str, preview: bool = True) -> FrozenSet[str]:
    """Rule codes matching the prefixes in ``codes``; an unknown prefix is an error. Without ``preview``, a
    prefix selects no preview rule (a rule's own full code still does, as in ruff)."""
    chosen = set()
    for prefix in codes:
        wanted = prefix.strip().upper()
        matched = {c for c in RULES if c.startswith(wanted)} if wanted else set()
        if not matched:
            raise UsageError(f"{where}: no rule matches {prefix!r} (rules: {', '.join(sorted(RULES))})")
        chosen |= matched if preview or wanted in RULES else matched - PREVIEW
    return frozenset(chosen)


def default_rules(preview: bool) -> FrozenSet[str]:
    """The rules run when none are selected: the stable ones, and the preview ones too with ``preview``."""
    return frozenset(RULES) if preview else frozenset(RULES) - PREVIEW


@dataclass
class Config:
    root: Path = field(default_factory=Path.cwd)  # per-file-ignores and exclude are relative to it
    select: FrozenSet[str] = field(default_factory=lambda: default_rules(False))
    preview: bool = False
    per_file_ignores: List[Tuple[str, FrozenSet[str]]] = field(default_factory=list)
    exclude: List[str] = field(default_factory=list)
    source: Optional[Path] = None
    target_version: Optional[Tuple[int, int]] = None  # the table's target-version key
    #: the table has ``select`` or ``ignore`` (no rule to run is then the table's choice, not the default's)
    chose_rules: bool = False

    def codes_for(self, path: Path) -> FrozenSet[str]:
        """The rules to run on ``path``."""
        codes = self.select
        rel = _relative(path, self.root)
        for pattern, ignored in self.per_file_ignores:
            if _glob_match(rel, pattern):
                codes = codes - ignored
        return codes


def _relative(path: Path, root: Path) -> str:
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve())).as_posix()
    except ValueError:
        return path.as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    pattern = pattern.lstrip("./") if pattern.startswith("./") else pattern
    return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(PurePosixPath(rel).name, pattern)


def _strings(value: Any, where: str) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: expected a list of strings")
    return list(value)


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a ``[tool.mpcheck.lint]`` table, from ``start`` upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _read(candidate).get("tool", {}).get("mpcheck", {})
            if isinstance(table, dict) and "lint" in table:
                return candidate
    return None


def _read(path: Path) -> Dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None


def load(path: Optional[Path], start: Optional[Path] = None, preview: bool = False) -> Config:
    """The configuration from ``path`` (or the nearest pyproject.toml that has one); defaults if none.
    ``preview`` (``--preview``) turns preview rules on whatever the file says."""
    if path is None:
        path = find_pyproject((start or Path.cwd()).resolve())
        if path is None:
            return Config(select=default_rules(preview), preview=preview)
    table = _read(path).get("tool", {}).get("mpcheck", {}).get("lint", {})
    where = f"{path}: [tool.mpcheck.lint]"
    if not isinstance(table, dict):
        raise UsageError(f"{where}: expected a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    on = table.get("preview", False)
    if not isinstance(on, bool):
        raise UsageError(f"{where} preview: expected true or false")
    preview = preview or on
    config = Config(root=path.parent, source=path, select=default_rules(preview), preview=preview)
    config.chose_rules = "select" in table or "ignore" in table
    if "select" in table:
        config.select = expand(_strings(table["select"], f"{where} select"), f"{where} select", preview)
    if "ignore" in table:
        config.select = config.select - expand(_strings(table["ignore"], f"{where} ignore"), f"{where} ignore")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise UsageError(f"{where} per-file-ignores: expected a table of glob = [codes]")
    for pattern, codes in pfi.items():
        config.per_file_ignores.append((pattern, expand(_strings(codes, f"{where} per-file-ignores"), where)))
    for key in ("exclude", "extend-exclude"):
        if key in table:
            config.exclude += _strings(table[key], f"{where} {key}")
    if "target-version" in table:
        value = table["target-version"]
        if not isinstance(value, str):
            raise UsageError(f'{where} target-version: expected a string such as "3.12"')
        config.target_version = target_version(value, f"{where} target-version")
    return config
