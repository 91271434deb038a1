"""The linted tree as one program: its files, the module name each has, and what an import names.

``mpcheck lint src/ tests/`` lints one program, not a heap of files: a task function imported from
another module, logging configured in a helper module, a console-script entry point named in
``pyproject.toml``, a mixin's ``setUp`` that makes the executor are all found by following the
program's own imports. This module knows the files and their names; it builds a model of each module
that needs one, on demand, with the factory it is given (:class:`~.model.ModuleModel`, which asks
:meth:`Program.resolve` what an imported name is). It never imports the model: the model imports it.

A module's name is its dotted path from the outermost folder with an ``__init__.py`` (``pkg.sub.mod``);
every shorter dotted suffix of its path is an alias too (namespace packages, test folders put on
``sys.path`` by pytest or by running a script), and an import prefers the candidate nearest the
importing file. Names of the libraries the rules model (``multiprocessing``, ``threading``,
``logging``, the wrappers...) are never looked up in the tree: linting CPython's own ``Lib/`` must
not read ``multiprocessing/context.py`` as the user's code.

Nothing here raises for a bad file: a file that cannot be parsed or modelled records its one-line
error and the rest of the program goes on without it.
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Generic, Iterable, List, Optional, Protocol, Sequence, Set, Tuple, TypeVar

from . import names as N

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: what a helper module holds when it makes a test's executor or pool: a unittest set-up or a fixture
SET_UP_HOOKS = (b"def setUp", b"def setup_method", b"def asyncSetUp", b"fixture")

#: The files that make a folder a project's (console scripts are read from them; a run lets go of the
#: models of one project at a time).
METADATA = ("pyproject.toml", "setup.cfg", "setup.py")

#: Recursion allowed while parsing and modelling one file (a deeply nested expression must not end the run).
RECURSION_LIMIT = 6000


def parse(source: bytes, path: str) -> ast.Module:
    """``ast.parse`` without warnings (invalid escapes are not ours to report)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=path)


def parse_error(exc: BaseException) -> Tuple[int, int, str]:
    """(line, column, message) of why a file does not parse."""
    if isinstance(exc, RecursionError):
        return 1, 1, "too deeply nested for Python's parser (RecursionError)"
    if isinstance(exc, MemoryError):
        return 1, 1, "too large or too deeply nested for Python's parser (MemoryError)"
    line = getattr(exc, "lineno", None) or 1
    col = max(getattr(exc, "offset", None) or 1, 1)
    return line, col, str(getattr(exc, "msg", None) or exc)


def one_line(exc: BaseException) -> str:
    """An exception as one short line (for a file whose analysis failed)."""
    text = str(exc).strip().splitlines()
    detail = f": {text[0][:160]}" if text else ""
    return f"{type(exc).__name__}{detail}"


@dataclass(eq=False)
class SourceFile:
    """One file of the program. Its bytes are let go with its tree when no model needs them (a file
    read from disk, ``on_disk``): what the rules ask of every file's text is kept as a few flags, and
    the bytes are read again if a model of it is asked for later."""

    path: Path  # as given (shown in findings)
    _source: Optional[bytes]  # None once let go (then read again from ``path``)
    name: str = ""  # dotted module name from the package folders ("pkg.sub.mod"; "mod" outside any package)
    is_package: bool = False  # an __init__.py
    tree: Optional[ast.Module] = None
    parse_failure: Optional[Tuple[int, int, str]] = None
    error: Optional[str] = None  # the analysis of this file failed (one line)
    has_model: bool = False  # a model of it was built (the :class:`Program` holds it)
    modelled: bool = False
    on_disk: bool = False  # the bytes are the file's on disk: they can be let go and read again
    _capable: Optional[bool] = None
    _imports: Optional[Tuple[Tuple[int, str], ...]] = None
    _triggers: Optional[bool] = None
    _facts: Optional[Tuple[bool, bool, bool]] = None  # names a process library, a set-up hook, set_start_method

    @property
    def source(self) -> bytes:
        """The file's bytes (read again from disk if they were let go)."""
        if self._source is None:
            self._source = self.path.read_bytes()
        return self._source

    def syntax_tree(self) -> Optional[ast.Module]:
        """The tree, parsed when first asked for (and again if it was let go); None when it does not parse."""
        if self.tree is None and self.parse_failure is None:
            try:
                self.tree = parse(self.source, self.shown)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # ValueError: null bytes
                self.parse_failure = parse_error(exc)
            except OSError as exc:  # its bytes were let go and it cannot be read again
                self.parse_failure = (1, 1, f"cannot read: {exc.strerror or exc}")
        return self.tree

    def drop_tree(self) -> None:
        """Let the tree go when no model holds it (:meth:`syntax_tree` parses it again if it is needed),
        and the bytes of a file on disk with it (its flags are kept)."""
        if not self.has_model:
            self.tree = None
            self.drop_source()

    def drop_source(self) -> None:
        """Let the bytes go, keeping what the rules ask of them, when they can be read again."""
        if self.on_disk and self._source is not None and not self.has_model:
            _ = self.kind_capable, self.facts  # learnt while the bytes are here
            self._source = None

    @property
    def shown(self) -> str:
        return self.path.as_posix()

    @property
    def mentions_processes(self) -> bool:
        """Whether the file names a process library at all (cheap: a byte search, no parse)."""
        if self._triggers is None:
            self._triggers = N.TRIGGERS_RE.search(self.source) is not None
        return self._triggers

    @property
    def kind_capable(self) -> bool:
        """Whether the file can make an object of a kind the rules know (it names a process library,
        threads or a logging listener): only such files have their kinds computed."""
        if self._capable is None:
            self._capable = self.mentions_processes or b"Thread" in self.source or b"Listener" in self.source
        return self._capable

    @property
    def imported(self) -> Tuple[Tuple[int, str], ...]:
        """(level, dotted name) of every module its import statements may name, read from the text without a
        parse: ``from .pool import Pool`` gives ``(1, "pool")`` and ``(1, "pool.Pool")`` (a name imported from a
        package may be a module of it)."""
        if self._imports is None:
            found: List[Tuple[int, str]] = []
            for match in _IMPORT_RE.finditer(self.source):
                if match.group("plain") is not None:
                    found.extend(
                        (0, name.split()[0]) for name in match.group("plain").decode().split(",") if name.strip()
                    )
                    continue
                dots, module = match.group("dots").decode(), match.group("module").decode()
                names = re.findall(r"\w+", match.group("names").decode().split("#")[0])
                found.append((len(dots), module))
                found.extend((len(dots), f"{module}.{n}" if module else n) for n in names if n != "import")
            self._imports = tuple(dict.fromkeys(found))
        return self._imports

    @property
    def facts(self) -> Tuple[bool, bool, bool]:
        """Whether the file names a process library as a word (:data:`~.names.MENTIONS_RE`), holds a test
        set-up hook (:data:`SET_UP_HOOKS`), and names ``set_start_method``."""
        if self._facts is None:
            source = self.source
            self._facts = (
                self.mentions_processes and N.MENTIONS_RE.search(source) is not None,
                any(hook in source for hook in SET_UP_HOOKS),
                b"set_start_method" in source,
            )
        return self._facts

    @property
    def package(self) -> str:
        """The package its relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


#: the import statements of a file's text: ``import a.b, c`` and ``from ..a import (b, c)``
_IMPORT_RE = re.compile(
    rb"^[ \t]*(?:import[ \t]+(?P<plain>[\w., \t]+)|from[ \t]+(?P<dots>\.*)(?P<module>[\w.]*)[ \t]+import[ \t]+"
    rb"(?P<names>\([^)]*\)|[^\n]*))",
    re.M,
)


def _project_folder(f: SourceFile) -> Path:
    """The folder that holds a module's top-level package (or the module), where its project's metadata is."""
    parents = f.path.absolute().parents
    depth = len(f.name.split(".")) - (0 if f.is_package else 1)
    return parents[min(depth, len(parents) - 1)]


def module_name(path: Path) -> Tuple[str, bool]:
    """The dotted name of the module at ``path`` from its package folders, and whether it is a package."""
    absolute = path.absolute()
    parts = [] if absolute.name == "__init__.py" else [absolute.stem]
    folder = absolute.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier():
        parts.insert(0, folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    return ".".join(parts) or absolute.stem, absolute.name == "__init__.py"


@dataclass
class EntryPoint:
    """A console script (or GUI script) named in a project's metadata: ``name = module:function``."""

    script: str
    module: str
    function: str
    source: str  # the file that names it


_ENTRY = re.compile(r"^\s*([\w.\-\[\] ]+?)\s*=\s*([\w.]+)\s*:\s*([\w.]+)")


def _entries_of(text: str, source: str) -> Iterable[EntryPoint]:
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            yield EntryPoint(match.group(1).strip(), match.group(2), match.group(3), source)


def entry_points(folder: Path) -> List[EntryPoint]:
    """Console and GUI scripts named by ``pyproject.toml``, ``setup.cfg`` or ``setup.py`` in ``folder``."""
    found: List[EntryPoint] = []
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8", errors="replace"))
        except (OSError, ValueError):
            data = {}
        project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
        poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
        tables = [
            project.get("scripts"),
            project.get("gui-scripts"),
            poetry.get("scripts") if isinstance(poetry, dict) else None,
        ]
        for table in tables:
            if isinstance(table, dict):
                for script, spec in table.items():
                    if isinstance(spec, str):
                        found += _entries_of(f"{script} = {spec}", str(pyproject))
    setup_cfg = folder / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(setup_cfg.read_text(encoding="utf-8", errors="replace"))
            for key in ("console_scripts", "gui_scripts"):
                if parser.has_option("options.entry_points", key):
                    found += _entries_of(parser.get("options.entry_points", key), str(setup_cfg))
        except (OSError, configparser.Error):
            pass
    setup_py = folder / "setup.py"
    if setup_py.is_file():
        try:
            tree = parse(setup_py.read_bytes(), str(setup_py))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Dict):
                for entry_key, value in zip(node.keys, node.values):
                    if isinstance(entry_key, ast.Constant) and entry_key.value in ("console_scripts", "gui_scripts"):
                        for item in value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]:
                            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                                found += _entries_of(item.value, str(setup_py))
    return found


class Members(Protocol):
    """What the program asks of a module's model: what ``module.<rest>`` is."""

    def member(self, rest: Sequence[str], depth: int = 0) -> object: ...


#: the model the program builds for each module (:class:`~.model.ModuleModel`)
M = TypeVar("M", bound=Members)


class Program(Generic[M]):
    """The files of one ``mpcheck lint`` run, their names, and the models built for them on demand by
    ``make_model(tree, program, file)``."""

    def __init__(
        self,
        files: Sequence[SourceFile],
        make_model: Callable[[ast.Module, Program[M], SourceFile], M],
        metadata_folders: Iterable[Path] = (),
    ) -> None:
        self.make_model = make_model
        self.models: Dict[SourceFile, M] = {}
        self.files = list(files)
        self.by_name: Dict[str, List[SourceFile]] = {}
        self.by_path: Dict[Path, SourceFile] = {}
        for f in self.files:
            if not f.name:
                f.name, f.is_package = module_name(f.path)
            self.by_path[f.path.absolute()] = f
            parts = f.name.split(".")
            for i in range(len(parts)):
                self.by_name.setdefault(".".join(parts[i:]), []).append(f)
        self.entry_points: List[EntryPoint] = []
        seen: Set[Path] = set()
        folders = list(metadata_folders) + [f.path.absolute().parent for f in self.files if f.path.name == "setup.py"]
        folders += [_project_folder(f) for f in self.files]  # a project of a folder of projects (its pyproject.toml)
        for folder in folders:
            folder = folder.absolute()
            if folder not in seen:
                seen.add(folder)
                self.entry_points += entry_points(folder)
        self._resolving: Set[str] = set()
        self._resolved: Dict[int, Dict[str, object]] = {}  # id(near) -> qual -> what it is
        self._projects: Dict[Path, Optional[Path]] = {}  # folder -> the project folder it is in
        self._project_of: Dict[SourceFile, Optional[Path]] = {}
        #: the project whose files are being linted, and the projects whose models another project's
        #: asked for, or that were asked for while another project was linted (None: the run does not let
        #: projects go)
        self.current: Optional[Path] = None
        self.crossed: Optional[Set[Optional[Path]]] = None

    # --- files and modules ---------------------------------------------------------------------
    def entry_module(self, ep: EntryPoint, near: Optional[SourceFile] = None) -> Optional[SourceFile]:
        """The module of the tree an entry point names, within the project whose metadata names it."""
        found = self.find_module(ep.module, near)
        home = Path(ep.source).absolute().parent
        return found if found is not None and home in found.path.absolute().parents else None

    def find_module(self, dotted: str, near: Optional[SourceFile] = None) -> Optional[SourceFile]:
        """The tree's module named ``dotted``, the candidate nearest ``near`` when several match."""
        if N.is_modelled(dotted):
            return None
        candidates = self.by_name.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1 or near is None:
            exact = [c for c in candidates if c.name == dotted]
            return (exact or candidates)[0]
        here = near.path.absolute().parts
        return max(candidates, key=lambda c: (_common(c.path.absolute().parts, here), c.name == dotted))

    def relative(self, file: SourceFile, level: int, module: Optional[str]) -> str:
        """The absolute dotted name of ``from <level dots><module> import ...`` in ``file``."""
        base = file.package.split(".") if file.package else []
        if level > 1:
            base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else []
        return ".".join([*base, *([module] if module else [])])

    def project_of(self, file: SourceFile) -> Optional[Path]:
        """The folder of the nearest project metadata above ``file`` (None: there is none)."""
        if file in self._project_of:
            return self._project_of[file]
        folder = file.path.absolute().parent
        walked: List[Path] = []
        found: Optional[Path] = None
        while True:
            if folder in self._projects:
                found = self._projects[folder]
                break
            walked.append(folder)
            if any((folder / name).is_file() for name in METADATA):
                found = folder
                break
            if folder.parent == folder:
                break
            folder = folder.parent
        for each in walked:
            self._projects[each] = found
        self._project_of[file] = found
        return found

    def let_go(self, files: Iterable[SourceFile]) -> None:
        """Let the models, trees and bytes of ``files`` go (a project done, whose models no other
        project's asked for): built again if one is asked for later."""
        for f in files:
            if f.has_model:
                self.forget(f)
            else:
                f.drop_tree()
            self._resolved.pop(id(f), None)

    def model(self, file: SourceFile, by: Optional[SourceFile] = None) -> Optional[M]:
        """``file``'s model, built once; None if it does not parse or its model failed (then ``file.error``).
        ``by``: the file whose model asks (None: the file being linted, or not known)."""
        if self.crossed is not None:
            project = self.project_of(file)
            if project != (self.current if by is None else self.project_of(by)) or project != self.current:
                self.crossed.add(project)  # another project's models may hold what it gives them
        if file.modelled:
            return self.models.get(file)
        file.modelled = True
        tree = file.syntax_tree()
        if tree is None:
            return None
        try:
            self.models[file] = self.make_model(tree, self, file)
            file.has_model = True
        except Exception as exc:  # RecursionError included: that file's one-line error, the run goes on
            file.error = f"cannot analyse: {one_line(exc)}"
        return self.models.get(file)

    def forget(self, file: SourceFile) -> None:
        """Let ``file``'s model, tree and bytes go: built and asked nothing else (only whether it imports a
        process library), it is built again, the same, if it is asked for later."""
        self.models.pop(file, None)
        file.modelled = file.has_model = False
        file.drop_tree()

    def module_model(self, dotted: str, near: Optional[SourceFile]) -> Optional[M]:
        found = self.find_module(dotted, near)
        return self.model(found, near) if found is not None else None

    # --- names ---------------------------------------------------------------------------------
    def resolve(self, qual: str, near: Optional[SourceFile], depth: int = 0) -> object:
        """What the dotted name ``qual`` is in the tree: a function (or method), a class, a module; None
        if it is not the tree's (a library, a builtin) or cannot be told."""
        if depth > 6 or N.is_modelled(qual) or qual in self._resolving:
            return None
        known = self._resolved.setdefault(id(near), {})
        if qual in known:
            return known[qual]
        found = self._resolve(qual, near, depth)
        known[qual] = found
        return found

    def imports_of(self, file: SourceFile) -> List[SourceFile]:
        """The modules of the tree that ``file``'s import statements name (itself left out)."""
        found: List[SourceFile] = []
        for level, name in file.imported:
            dotted = self.relative(file, level, name) if level else name
            target = self.find_module(dotted, file) if dotted else None
            if target is not None and target is not file and target not in found:
                found.append(target)
        return found

    def file_of(self, qual: str, near: Optional[SourceFile]) -> Optional[SourceFile]:
        """The tree's module that the dotted name ``qual`` starts with (nothing is modelled)."""
        if N.is_modelled(qual):
            return None
        parts = qual.split(".")
        for cut in range(len(parts), 0, -1):
            found = self.find_module(".".join(parts[:cut]), near)
            if found is not None:
                return found
        return None

    def _resolve(self, qual: str, near: Optional[SourceFile], depth: int) -> object:
        parts = qual.split(".")
        for cut in range(len(parts), 0, -1):
            found = self.find_module(".".join(parts[:cut]), near)
            if found is None:
                continue
            rest = parts[cut:]
            if not rest:
                return found
            model = self.model(found, near)
            if model is None:
                return None
            self._resolving.add(qual)
            try:
                return model.member(rest, depth + 1)
            finally:
                self._resolving.discard(qual)
        return None


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
