"""The layout as docs/architecture.md tells it: every package and top-level module named there, its layer list
the same as pyproject.toml's contract, and no circle of imports (in-function and TYPE_CHECKING ones included)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mpcheck"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def _tree() -> str:
    found = re.search(r"## The tree\n+```text\n(.*?)```", DOC, re.S)
    assert found, "docs/architecture.md has no tree"
    return found.group(1)


def test_the_tree_names_every_package():
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    tree = _tree()
    assert [p for p in packages if f"{p}/" not in tree] == []


def test_the_tree_names_every_module_at_the_top():
    modules = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    tree = _tree()
    assert [m for m in modules if not re.search(rf"(?<![\w/]){re.escape(m)}\b", tree)] == []


def test_the_layers_are_the_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    block = re.search(r"## Which way imports flow\n+```text\n(.*?)```", DOC, re.S)
    assert block
    documented = [" | ".join(re.findall(r"mpcheck[\w.]*", line)) for line in block.group(1).splitlines()]
    assert [line for line in documented if line] == layers


def test_no_module_imports_itself_through_others():
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (the lint extra)")
    graph = grimp.build_graph("mpcheck")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict = {}
    low: dict = {}
    stack: list = []
    circles = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = set()
            while True:
                other = stack.pop()
                component.add(other)
                if other == module:
                    break
            if len(component) > 1:
                circles.append(component)

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert circles == []


def test_the_top_of_the_package_stays_small():
    """At most 15 modules directly in mpcheck/ (the front ends, the public scenario language, the knowledge,
    the foundation): a new one belongs in a package that says what it is for."""
    assert len(list(PACKAGE.glob("*.py"))) <= 15


# --- the tests' own layout (docs/architecture.md, "The tests") ---------------------------------------------------

TESTS = ROOT / "tests"


def test_the_tests_folder_holds_test_files_a_conftest_support_and_data():
    stray = [p.name for p in TESTS.glob("*.py") if not p.name.startswith("test_") and p.name != "conftest.py"]
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert stray == [] and folders == {"support", "data"}


def test_no_test_file_imports_another():
    """Test files share fixtures through tests/conftest.py and helpers through tests/support/, never by importing
    each other (what a test file imports is then a fixture, a helper, or what it tests)."""
    test_files = {p.stem for p in TESTS.glob("test_*.py")}
    found = {}
    for path in [*TESTS.glob("*.py"), *(TESTS / "support").glob("*.py")]:
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.partition(".")[0])
        if imported & test_files:
            found[path.name] = sorted(imported & test_files)
    assert found == {}
