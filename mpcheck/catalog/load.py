"""Finding scenario files and reading their declarations without running them.

A scenario file is a user's script (some deliberately start processes at import time), so the
harness never imports it. It evaluates only the file's declaration part: its imports, its UPPER_CASE
constants and ``EXPECT``. The rest runs only inside a cell.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from ..errors import ScenarioError
from ..expect import METHODS, PLATFORMS, Expect, ExpectationError, implementation, is_free_threaded, judged_as
from ..files import parse_python

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "scenarios"


@dataclass(frozen=True)
class Scenario:
    id: str
    path: Path
    summary: str
    expect: Expect


def _is_constant_target(node: ast.stmt) -> bool:
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)
    return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id.isupper()


def _declaration_part(tree: ast.Module) -> ast.Module:
    keep = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) or _is_constant_target(n)]
    return ast.Module(body=keep, type_ignores=[])


def load(path: Path) -> Scenario:
    """Read one scenario file's id, summary and ``EXPECT``; :class:`ScenarioError` if unusable."""
    path = Path(path)
    tree = parse_python(path, "scenario", ScenarioError)
    if not any(
        isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXPECT" for t in n.targets)
        for n in tree.body
    ):
        raise ScenarioError(f"{path}: no EXPECT = Expect(...) declaration at module level")
    namespace: Dict[str, object] = {"__name__": f"mpcheck_declaration_{path.stem}", "__file__": str(path)}
    sys.path.insert(0, str(path.parent))
    try:
        exec(compile(_declaration_part(tree), str(path), "exec"), namespace)
    except (Exception, SystemExit) as exc:  # a user's file: any error (even sys.exit) is one line
        raise ScenarioError(f"{path}: declaration failed: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(str(path.parent))
    expect = namespace.get("EXPECT")
    if not isinstance(expect, Expect):
        raise ScenarioError(f"{path}: EXPECT must be an mpcheck.expect.Expect, not {type(expect).__name__}")
    _check_resolvable(path, expect)
    doc = ast.get_docstring(tree) or ""
    summary = doc.strip().splitlines()[0] if doc.strip() else ""
    return Scenario(id=path.stem, path=path.resolve(), summary=summary, expect=expect)


def _check_resolvable(path: Path, expect: Expect) -> None:
    """Resolve EXPECT everywhere now (running nothing), so a malformed one fails before any cell."""
    impl, impl_version = implementation()
    free = is_free_threaded()
    for platform in PLATFORMS:
        for method in METHODS:
            try:
                expect.resolve(method, platform, sys.version_info[:3], judged_as(impl), impl_version, free)
            except ExpectationError as exc:
                raise ScenarioError(f"{path}: EXPECT for {method} on {platform}: {exc}") from None


def discover(places: Iterable[Path]) -> Dict[str, Scenario]:
    """Every scenario in ``places`` (folders: their files not starting with ``_``; or scenario files), by
    id; a later place cannot shadow an earlier one."""
    found: Dict[str, Scenario] = {}
    for place in places:
        place = Path(place)
        if place.is_file():
            if place.suffix != ".py":
                raise ScenarioError(f"{place}: not a scenario file (expected a .py file or a folder of them)")
            paths = [place]
        elif place.is_dir():
            paths = [p for p in sorted(place.glob("*.py")) if not p.name.startswith("_")]
        else:
            raise ScenarioError(f"{place}: no such file or directory")
        for path in paths:
            scenario = load(path)
            if scenario.id in found:
                raise ScenarioError(f"{path}: scenario id {scenario.id!r} already defined by {found[scenario.id].path}")
            found[scenario.id] = scenario
    return found


def catalog(extra_dirs: Optional[Iterable[Path]] = None, builtin: bool = True) -> Dict[str, Scenario]:
    dirs: List[Path] = [BUILTIN_DIR] if builtin else []
    dirs.extend(Path(d) for d in (extra_dirs or ()))
    return discover(dirs)
