"""What one module does with processes, read from its syntax tree; every rule asks this model.

The model answers the questions the rules share, so each is answered the same way for all of them:

* what a name or expression is (:meth:`Module.kind_of`): a Process, a Pool, a Queue... through the
  imports, ``get_context()`` objects, subclasses (in any module of the program), lists of processes,
  ``with ... as`` names, ``self.x`` attributes set in any method of the class or of a base class or
  mixin, class attributes holding a constructor, what a function of the program returns, and plain
  pytest fixtures. A name bound several times has the kind of the binding that reaches each use
  (the last one before it in the same function), so reusing a variable does not hide an earlier start;
* which functions run in a child (:attr:`Module.sends`, :meth:`Module.reach`): targets, pool and
  executor tasks, initializers, a Process subclass's ``run``, and what they call in the program;
* what the parent does in which order along each entry path (:attr:`Module.paths`): the module's
  top-level code and main block, each console-script entry point it holds, each test function or
  method (after its ``setUp``), and each thread target; the program's own functions they call are
  inlined (a few levels deep, across modules), and so is the ``__init__`` of a class they make.

It is deliberately syntactic: no types beyond what constructors, returns and fixtures say. A name
whose kind it cannot tell is unknown, and rules treat unknown as "do not flag". Models are built on
demand by :class:`~.program.Program`: the names of a module first, its kinds when another module or
a rule asks, its sends and paths only when its rules run.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from . import names as N
from .program import EntryPoint, Program, SourceFile

FuncNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_BUILTINS = frozenset(dir(builtins))
_CONFLICT = "<conflict>"
_INLINE_DEPTH = 4
_TESTCASES = frozenset(
    {
        "unittest.TestCase",
        "unittest.case.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
    }
)
_SETUPS = ("setUp", "setup_method", "asyncSetUp")
_FIXTURES = frozenset({"pytest.fixture", "pytest.yield_fixture", "_pytest.fixtures.fixture"})

Pos = Tuple[int, int]
#: the start method of the default context: the platform's, or what ``set_start_method()`` chose
DEFAULT = "<default>"
#: Process classes pinned to one start method
_PINNED_PROCESSES = {
    "multiprocessing.context.SpawnProcess": "spawn",
    "multiprocessing.context.ForkProcess": "fork",
    "multiprocessing.context.ForkServerProcess": "forkserver",
}


def own_nodes(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` in source order that runs in their scope: not the bodies of nested
    functions, lambdas or classes (their decorators, defaults and bases do run here)."""
    stack: List[ast.AST] = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            children: List[ast.AST] = [*node.decorator_list, *node.args.defaults]
            children += [d for d in node.args.kw_defaults if d is not None]
        elif isinstance(node, ast.Lambda):
            children = [*node.args.defaults]
        elif isinstance(node, ast.ClassDef):
            children = [*node.decorator_list, *node.bases, *node.keywords]
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


def is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _end(node: ast.AST) -> Pos:
    line = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
    col = getattr(node, "end_col_offset", None) or 0
    return (int(line or 0), int(col or 0))


def _start(node: ast.AST) -> Pos:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


@dataclass(eq=False)
class Scope:
    """A function (or the module): its names, nested functions and the kinds of its local names."""

    node: ast.AST
    name: str
    model: Module
    parent: Optional[Scope] = None  # the enclosing function scope; None for module-level functions
    cls: Optional[ClassInfo] = None
    in_main: bool = False  # defined inside ``if __name__ == "__main__":``
    params: List[str] = field(default_factory=list)
    locals: Set[str] = field(default_factory=set)
    globals: Set[str] = field(default_factory=set)
    defs: Dict[str, Scope] = field(default_factory=dict)
    lambdas: Dict[str, ast.Lambda] = field(default_factory=dict)
    kinds: Dict[str, str] = field(default_factory=dict)
    #: every binding of a local name, in source order: (where it takes effect, its kind)
    bindings: Dict[str, List[Tuple[Pos, Optional[str]]]] = field(default_factory=dict)
    #: params used as a sent function (-> how it is sent), params started, params put on (queues)
    forwards: Dict[str, str] = field(default_factory=dict)
    #: the start method a literal names for what a forwarded param is sent with (a factory's fork context)
    forward_methods: Dict[str, Optional[str]] = field(default_factory=dict)
    param_starts: Set[str] = field(default_factory=set)
    starts: bool = False

    _nodes: Optional[List[ast.AST]] = None
    _return_kind: Optional[str] = None
    _return_done: bool = False

    @property
    def nodes(self) -> List[ast.AST]:
        """:func:`own_nodes` of the body, computed once (every rule and pass walks them)."""
        if self._nodes is None:
            self._nodes = list(own_nodes(self.body()))
        return self._nodes

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, ast.Module)

    @property
    def qualname(self) -> str:
        owner = f"{self.cls.node.name}." if self.cls is not None else ""
        return f"{owner}{self.name}"

    def body(self) -> List[ast.stmt]:
        return (
            list(self.node.body) if isinstance(self.node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
        )

    def decorators(self) -> List[ast.expr]:
        return list(getattr(self.node, "decorator_list", []))

    def return_kind(self) -> Optional[str]:
        """The kind every ``return``/``yield`` value of this function has (a factory, a plain fixture)."""
        if self._return_done:
            return self._return_kind
        self._return_done = True
        kinds = set()
        for node in self.nodes:
            value = node.value if isinstance(node, (ast.Return, ast.Yield)) else None
            if value is not None:
                kinds.add(self.model.kind_of(value, self))
        only = kinds.pop() if len(kinds) == 1 else None
        self._return_kind = only
        return only


@dataclass(eq=False)
class ClassInfo:
    node: ast.ClassDef
    model: Module
    methods: Dict[str, Scope] = field(default_factory=dict)
    attr_kinds: Dict[str, str] = field(default_factory=dict)  # self.x = ... in any method
    class_attrs: Dict[str, ast.expr] = field(default_factory=dict)  # x = ... in the class body
    _bases: Optional[List[Union[ClassInfo, str]]] = None
    _kind: Optional[str] = None
    _kind_done: bool = False

    @property
    def name(self) -> str:
        return self.node.name

    def bases(self) -> List[Union[ClassInfo, str]]:
        """Each base: a class of the program, or the qualified name of a library class."""
        if self._bases is None:
            self._bases = []
            scope = self.model.module
            for base in self.node.bases:
                info = self.model.resolve_class(base, scope)
                if info is not None and info is not self:
                    self._bases.append(info)
                    continue
                q = self.model.qual(base, scope)
                is_ctx_process = isinstance(base, ast.Attribute) and base.attr == "Process"
                if q is None and is_ctx_process and self.model.kind_of(base.value, scope) == N.CONTEXT:  # type: ignore[attr-defined]
                    q = "multiprocessing.Process"
                if q:
                    self._bases.append(q)
        return self._bases

    def mro(self) -> List[ClassInfo]:
        out: List[ClassInfo] = []
        todo: List[ClassInfo] = [self]
        while todo and len(out) < 50:
            info = todo.pop(0)
            if info in out:
                continue
            out.append(info)
            todo.extend(b for b in info.bases() if isinstance(b, ClassInfo))
        return out

    @property
    def kind(self) -> Optional[str]:
        """PROCESS or THREAD for a subclass of one (through the program's classes)."""
        if not self._kind_done:
            self._kind_done = True
            for info in self.mro():
                for base in info.bases():
                    kind = base.kind if isinstance(base, ClassInfo) else N.CONSTRUCTORS.get(base)
                    if kind in N.SUBCLASSABLE:
                        self._kind = kind
                        return kind
        return self._kind

    @property
    def is_testcase(self) -> bool:
        return any(isinstance(b, str) and b in _TESTCASES for info in self.mro() for b in info.bases())

    def method(self, name: str) -> Optional[Scope]:
        for info in self.mro():
            if name in info.methods:
                return info.methods[name]
        return None

    def stored(self, attr: str) -> List[Tuple[Scope, ast.expr]]:
        """Every ``self.attr = value`` in the methods of this class and its bases: (the method, the value)."""
        found: List[Tuple[Scope, ast.expr]] = []
        for info in self.mro():
            for method in info.methods.values():
                if not method.params:
                    continue
                for node in method.nodes:
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Attribute) and target.attr == attr and _is_self(target, method):
                                found.append((method, node.value))
        return found

    def attr_kind(self, attr: str) -> Optional[str]:
        for info in self.mro():
            info.model.ensure_kinds()
            if attr in info.attr_kinds:
                kind = info.attr_kinds[attr]
                return None if kind == _CONFLICT else kind
        return None

    def class_attr_kind(self, attr: str) -> Optional[str]:
        """The kind of object ``self.attr(...)`` makes when ``attr`` is a class attribute naming a constructor."""
        for info in self.mro():
            value = info.class_attrs.get(attr)
            if value is not None:
                q = info.model.qual(value, info.model.module)
                return N.CONSTRUCTORS.get(q or "")
        return None


@dataclass(frozen=True)
class Send:
    """A function (and its arguments) handed to another process: pickled under spawn and forkserver."""

    call: ast.Call
    func: Optional[ast.expr]  # the function expression, None for a Process subclass
    args: Tuple[ast.expr, ...]  # positional arguments that travel with it
    via: str  # "process", "pool", "executor", "initializer"
    scope: Scope
    root: Optional[Scope]  # the function that runs in the child, when it is one of the program's
    report: ast.AST  # where a finding about it is shown (the call that forwarded it, if any)
    daemon: bool = False
    kind: Optional[str] = None  # the kind of the Process/Pool/executor (its library: N.lib_of)
    method: Optional[str] = None  # the start method, when a literal names it (a context, mpire's start_method)
    pickled: bool = True  # False: the library does not pickle it with pickle (dill, cloudpickle, mpire's fork)


@dataclass(frozen=True)
class Event:
    """Something the parent does, in the order it does it (see :attr:`Module.paths`)."""

    kind: str  # start, thread_start, thread_join, environ, signal, set_start_method, assign, attr_assign,
    #            logging_config, fork, import, send
    node: ast.AST
    report: ast.AST
    in_main_block: bool  # runs in the parent only (main block, an entry function, a test), not at import
    scope: Scope
    detail: str = ""
    forced: bool = False
    roots: Tuple[Scope, ...] = ()  # for "send": the program's functions that will run in the child
    force_param: Optional[str] = None  # set_start_method's force comes from the caller ("**" or a parameter)


@dataclass
class EntryPath:
    """One way the parent runs: ``kind`` is "script" (import time and the main block), "console" (an
    entry point), "test" or "thread" (a thread target: every start in it happens with threads running)."""

    kind: str
    name: str
    events: List[Event]
    root: Optional[Scope] = None
    thread_start: Optional[ast.AST] = None  # for "thread": where the thread is started


def _is_self(expr: ast.Attribute, scope: Scope) -> bool:
    """Whether ``expr`` is ``self.attr`` in a method (its first parameter, whatever its name)."""
    return isinstance(expr.value, ast.Name) and bool(scope.params) and expr.value.id == scope.params[0]


def _is_test_file(path: Path) -> bool:
    name = path.name
    return (
        name.startswith("test") or name.endswith("_test.py") or name == "conftest.py"
        or any(p in ("test", "tests", "testing") for p in path.parts[:-1])
    )  # fmt: skip


class Module:
    """The model of one parsed module of a :class:`~.program.Program` (see the module docstring)."""

    def __init__(self, tree: ast.Module, program: Optional[Program] = None, file: Optional[SourceFile] = None) -> None:
        if program is None or file is None:
            file = SourceFile(Path("<string>"), b"", name="__main__", tree=tree)
            program = Program([file])
            file.model, file.modelled = self, True
        self.tree = tree
        self.program = program
        self.file = file
        self.imports: Dict[str, str] = {}
        self.module_names: Set[str] = set()  # names imported as modules (``import x``, ``import x.y as z``)
        self.dotted: Set[str] = set()  # every module ``import a.b.c`` imports (``a``, ``a.b``, ``a.b.c``)
        self.classes: Dict[str, ClassInfo] = {}
        self.scopes: List[Scope] = []
        self.module = Scope(tree, "<module>", self)
        self.main_block: List[ast.stmt] = []
        self._collect_imports()
        self._build_scope(self.module, tree.body, None, False)
        self._kinds_state = 0  # 0 not computed, 1 computing, 2 done
        self._sends: Optional[List[Send]] = None
        self._thread_sends: Optional[List[Tuple[ast.AST, Scope]]] = None
        self._paths: Optional[List[EntryPath]] = None
        self._explicit: Optional[Tuple[Optional[Set[str]]]] = None
        self._branches: Optional[Dict[int, List[Tuple[ast.stmt, int]]]] = None
        self._inlined: Dict[Tuple[int, int], List[Event]] = {}
        self._inlining: Set[int] = set()
        self._aliases: Dict[int, Dict[str, str]] = {}
        self._child: Optional[Set[Scope]] = None
        self._loggers: Optional[Set[str]] = None

    # --- names -------------------------------------------------------------------------------------
    def _collect_imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.dotted.add(alias.name)
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                        self.module_names.add(alias.asname)
                    else:
                        top = alias.name.split(".")[0]
                        self.imports[top] = top
                        self.module_names.add(top)
            elif isinstance(node, ast.ImportFrom):
                base = node.module if node.level == 0 else self.program.relative(self.file, node.level, node.module)
                if not base:
                    continue
                for alias in node.names:
                    if alias.name != "*":
                        self.imports[alias.asname or alias.name] = f"{base}.{alias.name}"

    @property
    def uses_multiprocessing(self) -> bool:
        """Whether the module imports a process library (stdlib or a wrapper)."""
        return any(N.is_process_library(q) for q in [*self.imports.values(), *self.dotted])

    @property
    def capable(self) -> bool:
        """Whether anything here can have a kind the rules know: the file names a process library or threads."""
        return self.file.kind_capable

    @property
    def path(self) -> str:
        return self.file.shown

    def member(self, rest: Sequence[str], depth: int = 0) -> object:
        """What ``module.<rest>`` is: a function, a class, a method, or what an import here names."""
        name = rest[0]
        if name in self.module.defs:
            return self.module.defs[name] if len(rest) == 1 else None
        if name in self.classes:
            info = self.classes[name]
            if len(rest) == 1:
                return info
            return info.method(rest[1]) if len(rest) == 2 else None
        if name in self.imports:
            return self.program.resolve(".".join([self.imports[name], *rest[1:]]), self.file, depth)
        return None

    def global_kind(self, name: str) -> Optional[str]:
        """The kind of module-level name ``name`` (another module importing it asks)."""
        self.ensure_kinds()
        kind = self.module.kinds.get(name)
        return None if kind == _CONFLICT else kind

    def lookup_scope(self, name: str, scope: Scope) -> Scope:
        """The scope that binds ``name`` as seen from ``scope`` (the module if none of the functions)."""
        if scope.model is not self:
            return scope.model.lookup_scope(name, scope)
        s: Optional[Scope] = scope
        while s is not None and not s.is_module:
            if name in s.globals:
                return self.module
            if name in s.locals:
                return s
            s = s.parent
        return self.module

    def qual(self, expr: ast.expr, scope: Scope) -> Optional[str]:
        """The dotted name ``expr`` refers to through the imports (``mp.Pool`` -> ``multiprocessing.Pool``);
        builtins by their name; None for local variables and anything else."""
        if scope.model is not self:
            return scope.model.qual(expr, scope)
        if isinstance(expr, ast.Name):
            if not self.lookup_scope(expr.id, scope).is_module:
                return None
            if expr.id in self.imports:
                return self.imports[expr.id]
            if expr.id in self.module.locals:
                return None
            return expr.id if expr.id in _BUILTINS else None
        if isinstance(expr, ast.Attribute):
            base = self.qual(expr.value, scope)
            return f"{base}.{expr.attr}" if base else None
        return None

    # --- scopes ------------------------------------------------------------------------------------
    def _build_scope(self, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool) -> None:
        if isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = scope.node.args
            scope.params = [x.arg for x in [*getattr(a, "posonlyargs", []), *a.args, *a.kwonlyargs]]
            scope.params += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
            scope.locals.update(scope.params)
        self._walk_body(scope, body, cls, in_main)

    def _walk_body(self, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool) -> None:
        for stmt in body:
            if scope.is_module and isinstance(stmt, ast.If) and is_main_guard(stmt.test):
                self.main_block.extend(stmt.body)
                self._walk_body(scope, stmt.body, cls, True)
                self._walk_body(scope, stmt.orelse, cls, in_main)
                continue
            for node in own_nodes([stmt]):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self._add_function(scope, node, cls, in_main)
                elif isinstance(node, ast.ClassDef):
                    self._add_class(scope, node, in_main)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                    scope.locals.add(node.id)
                elif isinstance(node, ast.Global):
                    scope.globals.update(node.names)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    scope.locals.update((a.asname or a.name).split(".")[0] for a in node.names)
                elif isinstance(node, ast.ExceptHandler) and node.name:
                    scope.locals.add(node.name)
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                    for t in node.targets:
                        if isinstance(t, ast.Name):
                            scope.lambdas[t.id] = node.value
        scope.locals -= scope.globals

    def _add_function(self, scope: Scope, node: FuncNode, cls: Optional[ClassInfo], in_main: bool) -> None:
        parent = None if scope.is_module else scope
        new = Scope(node, node.name, self, parent=parent, cls=cls, in_main=in_main)
        self.scopes.append(new)
        if cls is not None:
            cls.methods[node.name] = new
        else:
            scope.defs[node.name] = new
            scope.locals.add(node.name)
        self._build_scope(new, node.body, None, in_main)
        new.cls = cls

    def _add_class(self, scope: Scope, node: ast.ClassDef, in_main: bool) -> None:
        scope.locals.add(node.name)
        info = ClassInfo(node, self)
        if scope.is_module:
            self.classes[node.name] = info
        for stmt in node.body:  # methods: module-level classes only (nested classes are rare and local)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._add_function(self.module if scope.is_module else scope, stmt, info, in_main)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                info.class_attrs[stmt.targets[0].id] = stmt.value

    # --- kinds -------------------------------------------------------------------------------------
    def ensure_kinds(self) -> None:
        if self._kinds_state:
            return
        if not self.capable:  # names no process library and no thread: nothing of a kind to compute
            self._kinds_state = 2
            return
        self._kinds_state = 1
        for _ in range(2):  # kinds may depend on kinds computed later in the file
            for scope in [self.module, *self.scopes]:
                self._compute_kinds(scope)
        self._compute_forwards_and_starts()
        self._kinds_state = 2

    def resolve_class(self, expr: ast.AST, scope: Scope) -> Optional[ClassInfo]:
        """The program's class ``expr`` names, if any."""
        if scope.model is not self:
            return scope.model.resolve_class(expr, scope)
        if isinstance(expr, ast.Name) and expr.id in self.classes and self.lookup_scope(expr.id, scope).is_module:
            return self.classes[expr.id]
        if isinstance(expr, (ast.Name, ast.Attribute)):
            q = self.qual(expr, scope)
            if q and q not in N.CONSTRUCTORS and self._capable_target(q):
                found = self.program.resolve(q, self.file)
                return found if isinstance(found, ClassInfo) else None
        return None

    def _capable_target(self, q: str) -> bool:
        """Whether the module that dotted name ``q`` lives in can make a kind (worth modelling for one)."""
        target = self.program.file_of(q, self.file)
        return target is not None and target.kind_capable

    def capable_callee(self, func: ast.expr, scope: Scope) -> Optional[Scope]:
        """:meth:`resolve_function`, but only into modules that can start or send anything."""
        if isinstance(func, (ast.Name, ast.Attribute)):
            q = self.qual(func, scope)
            if q and q not in N.CONSTRUCTORS and not N.is_modelled(q) and not self._capable_target(q):
                return None
        found = self.resolve_function(func, scope)
        return found if found is not None and found.model.capable else None

    def kind_of(self, expr: Optional[ast.AST], scope: Scope) -> Optional[str]:
        """What ``expr`` evaluates to, as one of the kinds in :mod:`.names`, or ``list:<kind>``; None if unknown."""
        if scope.model is not self:
            return scope.model.kind_of(expr, scope)
        self.ensure_kinds()
        if isinstance(expr, ast.Call):
            return self._call_kind(expr, scope)
        if isinstance(expr, ast.Name):
            return self._name_kind(expr, scope)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            if expr.value.id in ("self", "cls") and scope.cls is not None:
                return scope.cls.attr_kind(expr.attr)
            q = self.qual(expr, scope)
            if q and not N.is_modelled(q):
                return self._imported_kind(q)
            return None
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and expr.elts:
            kinds = {self.kind_of(e, scope) for e in expr.elts}
            only = kinds.pop() if len(kinds) == 1 else None
            return f"list:{only}" if only in (N.PROCESS, N.THREAD) else None
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            inner = self.kind_of(expr.elt, scope)
            return f"list:{inner}" if inner in (N.PROCESS, N.THREAD) else None
        if isinstance(expr, ast.Subscript):
            outer = self.kind_of(expr.value, scope)
            return outer[5:] if outer and outer.startswith("list:") else None
        return None

    def _call_kind(self, expr: ast.Call, scope: Scope) -> Optional[str]:
        func = expr.func
        if isinstance(func, ast.Attribute):
            if func.attr in N.CONTEXT_ATTRS:
                ctx = self.kind_of(func.value, scope)
                if ctx == N.CONTEXT:
                    return N.with_lib(N.CONTEXT_ATTRS[func.attr], getattr(ctx, "lib", None))
            if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") and scope.cls is not None:
                made = scope.cls.class_attr_kind(func.attr)
                if made is not None:
                    return made
        q = self.qual(func, scope)
        if q in N.CONSTRUCTORS:
            return N.CONSTRUCTORS[q]
        if q and not N.is_modelled(q):  # another module's class or factory: only if that module can make a kind
            target = self.program.file_of(q, self.file)
            if target is None or not target.kind_capable:
                return None
        info = self.resolve_class(func, scope)
        if info is not None:
            return info.kind
        callee = self.resolve_function(func, scope)
        if callee is not None and callee is not scope and callee.model.capable:
            return callee.return_kind()
        return None

    def _name_kind(self, expr: ast.Name, scope: Scope) -> Optional[str]:
        binder = self.lookup_scope(expr.id, scope)
        history = binder.bindings.get(expr.id) if binder is scope else None
        if history and hasattr(expr, "lineno"):
            here = _start(expr)
            before = [kind for pos, kind in history if pos <= here]
            if before:
                return before[-1]
        kind = binder.kinds.get(expr.id)
        if kind is None and binder.is_module and expr.id in self.imports:
            return self._imported_kind(self.imports[expr.id])
        return None if kind == _CONFLICT else kind

    def _imported_kind(self, q: str) -> Optional[str]:
        """The kind of a module-level name another module of the program binds (``from .pools import POOL``)."""
        if N.is_modelled(q) or "." not in q:
            return None
        module, _, name = q.rpartition(".")
        found = self.program.find_module(module, self.file)
        model = self.program.model(found) if found is not None else None
        if model is None or model is self or model._kinds_state == 1:
            return None
        return model.global_kind(name)

    def _bind(self, table: Dict[str, str], name: str, kind: Optional[str]) -> None:
        if kind is None:
            if name in table and table[name] != _CONFLICT:
                table[name] = _CONFLICT  # bound to something else too: unknown
            return
        if table.get(name, kind) != kind:
            table[name] = _CONFLICT
        else:
            table[name] = kind

    def _compute_kinds(self, scope: Scope) -> None:
        scope.kinds.clear()
        scope.bindings.clear()
        if not scope.is_module:
            self._param_kinds(scope)
        for node in scope.nodes:
            if isinstance(node, ast.Assign):
                values: List[Tuple[ast.expr, Optional[ast.expr]]] = []
                for t in node.targets:
                    if (
                        isinstance(t, ast.Tuple)
                        and isinstance(node.value, ast.Tuple)
                        and len(t.elts) == len(node.value.elts)
                    ):
                        values += list(zip(t.elts, node.value.elts))
                    else:
                        values.append((t, node.value))
                for target, value in values:
                    kind = self.kind_of(value, scope) if value is not None else None
                    self._bind_target(scope, target, kind, _end(node))
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._bind_target(scope, node.target, self.kind_of(node.value, scope), _end(node))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    kind = self.kind_of(item.context_expr, scope)
                    if item.optional_vars is not None:
                        keep = kind in (N.POOL, N.EXECUTOR, N.MANAGER, N.THREAD_POOL)  # __enter__ returns self
                        self._bind_target(scope, item.optional_vars, kind if keep else None, _end(item.context_expr))
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                outer = self.kind_of(node.iter, scope)
                inner = outer[5:] if outer and outer.startswith("list:") else None
                self._bind_target(scope, node.target, inner, _end(node.iter))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
                # procs = []; procs.append(Process(...)): a list of processes
                lst = node.func.value
                if isinstance(lst, ast.Name) and node.args and self.lookup_scope(lst.id, scope) is scope:
                    inner = self.kind_of(node.args[0], scope)
                    listed = f"list:{inner}"
                    history = scope.bindings.get(lst.id, [])
                    if (
                        inner in (N.PROCESS, N.THREAD)
                        and scope.kinds.get(lst.id) in (None, listed)
                        and all(k in (None, listed) for _, k in history[1:])
                    ):
                        scope.kinds[lst.id] = listed
                        scope.bindings[lst.id] = [(p, listed) for p, _ in history]

    def _param_kinds(self, scope: Scope) -> None:
        """Parameters annotated with a constructor, and a test's parameters named after a plain fixture."""
        node = scope.node
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        a = node.args
        for arg in [*getattr(a, "posonlyargs", []), *a.args, *a.kwonlyargs]:
            kind = None
            if arg.annotation is not None:
                kind = N.CONSTRUCTORS.get(self.qual(arg.annotation, scope) or "")
            if kind is None and (scope.name.startswith("test") or self._is_fixture(scope)):
                fixture = self.fixture(arg.arg)
                kind = fixture.return_kind() if fixture is not None and fixture is not scope else None
            if kind is not None:
                scope.kinds[arg.arg] = kind
                scope.bindings[arg.arg] = [((0, 0), kind)]

    def _is_fixture(self, scope: Scope) -> bool:
        for deco in scope.decorators():
            target = deco.func if isinstance(deco, ast.Call) else deco
            if (self.qual(target, self.module) or "") in _FIXTURES or (
                isinstance(target, ast.Name) and target.id == "fixture"
            ):
                return True
        return False

    def fixture(self, name: str) -> Optional[Scope]:
        """The pytest fixture ``name`` as this module or a conftest.py above it defines it."""
        own = self.module.defs.get(name)
        if own is not None and self._is_fixture(own):
            return own
        here = self.file.path.absolute().parent
        for folder in [here, *here.parents][:6]:
            conf = self.program.by_path.get(folder / "conftest.py")
            if conf is None or conf is self.file:
                continue
            model = self.program.model(conf)
            found = model.module.defs.get(name) if model is not None else None
            if found is not None and model is not None and model._is_fixture(found):
                return found
        return None

    def _bind_target(self, scope: Scope, target: ast.expr, kind: Optional[str], pos: Pos) -> None:
        if isinstance(target, ast.Name):
            binder = self.lookup_scope(target.id, scope)
            self._bind(binder.kinds, target.id, kind)
            if binder is scope:
                scope.bindings.setdefault(target.id, []).append((pos, kind))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            if scope.cls is not None:
                self._bind(scope.cls.attr_kinds, target.attr, kind)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind_target(scope, elt, None, pos)
        elif isinstance(target, ast.Starred):
            self._bind_target(scope, target.value, None, pos)

    # --- functions ---------------------------------------------------------------------------------
    def resolve_function(self, expr: Optional[ast.AST], scope: Scope, instances: bool = False) -> Optional[Scope]:
        """The program's function that ``expr`` names (a def, a method via ``self`` or its class, an
        imported function, a partial's). With ``instances``, also a method of an object of the program's
        class bound to a name (``crawler.crawl`` after ``crawler = Crawler()``): for what is handed to a
        child or a thread, not for what the parent's paths inline (a library's object, configured at run
        time, would bring its every conditional start into them)."""
        if scope.model is not self:
            return scope.model.resolve_function(expr, scope, instances)
        if isinstance(expr, ast.Name):
            s: Optional[Scope] = scope
            while s is not None:
                if expr.id in s.defs:
                    return s.defs[expr.id]
                if expr.id in s.locals or expr.id in s.globals:
                    break
                s = s.parent
            if s is not None and not s.is_module and expr.id not in s.globals:
                return None  # a local variable
            if expr.id in self.module.defs:
                return self.module.defs[expr.id]
            if expr.id in self.imports:
                found = self.program.resolve(self.imports[expr.id], self.file)
                return found if isinstance(found, Scope) else None
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            if expr.value.id in ("self", "cls") and scope.cls is not None:
                return scope.cls.method(expr.attr)
            owner = self.classes.get(expr.value.id)
            if owner is not None and self.lookup_scope(expr.value.id, scope).is_module:
                return owner.method(expr.attr)
            made = self.bound_value(expr.value, scope) if instances else None  # ``crawler = Crawler()``
            if isinstance(made, ast.Call):
                info = self.resolve_class(made.func, scope)
                if info is not None:
                    return info.method(expr.attr)
        if isinstance(expr, ast.Attribute):
            q = self.qual(expr, scope)
            if q and not N.is_modelled(q):
                found = self.program.resolve(q, self.file)
                return found if isinstance(found, Scope) else None
        if isinstance(expr, ast.Call) and self.qual(expr.func, scope) == "functools.partial" and expr.args:
            return self.resolve_function(expr.args[0], scope)
        return None

    def callee(self, call: ast.Call, scope: Scope) -> Optional[Scope]:
        """The program's code a call runs: the function, or the ``__init__`` of the class it makes."""
        found = self.resolve_function(call.func, scope)
        if found is not None:
            return found
        info = self.resolve_class(call.func, scope)
        return info.method("__init__") if info is not None else None

    def calls(self, scope: Scope) -> Iterator[Tuple[ast.Call, Scope]]:
        """Calls in ``scope`` to functions of the program, with the function called."""
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                callee = scope.model.callee(node, scope)
                if callee is not None:
                    yield node, callee

    def reach(self, roots: Iterable[Scope]) -> Set[Scope]:
        """``roots`` and every function of the program they call, directly or not."""
        seen: Set[Scope] = set()
        todo = list(roots)
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            todo.extend(callee for _, callee in s.model.calls(s))
        return seen

    @staticmethod
    def argument(call: ast.Call, index: int, keyword: str) -> Optional[ast.expr]:
        for kw in call.keywords:
            if kw.arg == keyword:
                return kw.value
        if 0 <= index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
            return call.args[index]
        return None

    @staticmethod
    def _elements(expr: Optional[ast.expr]) -> Tuple[ast.expr, ...]:
        if isinstance(expr, (ast.Tuple, ast.List)):
            return tuple(e for e in expr.elts if not isinstance(e, ast.Starred))
        return ()

    def bound_value(self, expr: ast.expr, scope: Scope) -> Optional[ast.expr]:
        """The one value a name is bound to (``ctx`` in ``ctx = get_context("fork")``), or the expression."""
        if not isinstance(expr, ast.Name):
            return expr
        binder = self.lookup_scope(expr.id, scope)
        values = []
        for n in binder.nodes:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets):
                values.append(n.value)
            elif isinstance(n, (ast.With, ast.AsyncWith)):
                values += [
                    i.context_expr
                    for i in n.items
                    if isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == expr.id
                ]
        return values[0] if len(values) == 1 else None

    def constant(self, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]:
        """The string ``expr`` always is: a literal, or a module-level name (here or imported) bound once to one."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if depth > 4 or not isinstance(expr, (ast.Name, ast.Attribute)):
            return None
        if isinstance(expr, ast.Name) and self.lookup_scope(expr.id, scope).is_module and expr.id in self.module.locals:
            value = self.bound_value(expr, self.module)
            return self.constant(value, self.module, depth + 1) if value is not expr else None
        q = self.qual(expr, scope) or ""
        module, _, name = q.rpartition(".")
        other = self.program.module_model(module, self.file) if module and not N.is_modelled(q) else None
        if other is not None and other is not self and name in other.module.locals:
            return other.constant(ast.Name(id=name, ctx=ast.Load()), other.module, depth + 1)
        return None

    def context_method(self, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]:
        """The start method of the context ``expr`` is: a literal (``get_context("fork")``, a name, an attribute
        of ``self`` or another module's name bound to one, a constant naming the method, a function of the
        program that returns one), :data:`DEFAULT` for the default context (``get_context()``), else None."""
        if expr is None or depth > 4:
            return None
        if isinstance(expr, ast.Attribute) and scope.cls is not None and scope.params and _is_self(expr, scope):
            found = {where.model.context_method(v, where, depth + 1) for where, v in scope.cls.stored(expr.attr)}
            return found.pop() if len(found) == 1 else None
        value = self.bound_value(expr, scope) if isinstance(expr, ast.Name) else expr
        if isinstance(value, ast.Call) and (self.qual(value.func, scope) or "") in N.GET_CONTEXT:
            arg = self.argument(value, 0, "method")
            if arg is None or (isinstance(arg, ast.Constant) and arg.value is None):
                return DEFAULT
            return self.constant(arg, scope)
        if isinstance(value, ast.Call):  # a function of the program that makes the context
            maker = self.resolve_function(value.func, scope)
            if maker is None or maker is scope or (maker.cls is not None and maker.name == "__init__"):
                return None
            returned = {
                maker.model.context_method(n.value, maker, depth + 1)
                for n in maker.nodes
                if isinstance(n, ast.Return) and n.value is not None
            }
            return returned.pop() if len(returned) == 1 else None
        if value is None or isinstance(value, (ast.Name, ast.Attribute)):  # a context another module makes
            q = self.qual(value if value is not None else expr, scope) or ""
            module, _, name = q.rpartition(".")
            other = self.program.module_model(module, self.file) if module and self.program is not None else None
            if other is not None and other is not self:
                return other.context_method(ast.Name(id=name, ctx=ast.Load()), other.module, depth + 1)
        return None

    def _class_method(self, info: ClassInfo, depth: int) -> Optional[str]:
        """The start method of a Process subclass of the program: from the context its base comes from
        (``ctx.Process``, ``SpawnProcess``), :data:`DEFAULT` for ``multiprocessing.Process``."""
        for each in info.mro():
            scope = each.model.module
            for base in each.node.bases:
                if (
                    isinstance(base, ast.Attribute) and base.attr == "Process"
                    and each.model.kind_of(base.value, scope) == N.CONTEXT
                ):  # fmt: skip
                    return each.model.context_method(base.value, scope, depth + 1)
                q = each.model.qual(base, scope) or ""
                if q in _PINNED_PROCESSES:
                    return _PINNED_PROCESSES[q]
                if N.CONSTRUCTORS.get(q) == N.PROCESS:
                    return DEFAULT
        return None

    def start_method(self, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
        """The start method of the object ``made`` (a constructor call, a name or ``self.attr`` bound to one,
        a call to the program's function that returns one): a literal, :data:`DEFAULT` (made by the default
        context, whose method the platform or ``set_start_method`` decides), or None when a context decides
        it that cannot be read (a parameter, a variable)."""
        if depth > 4:
            return None
        call = self.bound_value(made, scope)
        if call is None and isinstance(made, ast.Name):  # bound several times, or by a loop: when all agree
            found = {self.start_method(v, scope, depth + 1) for v in self._values_of(made.id, scope)}
            return found.pop() if len(found) == 1 else None
        if isinstance(call, ast.Attribute) and scope.cls is not None and scope.params and _is_self(call, scope):
            stored = scope.cls.stored(call.attr)
            if len(stored) != 1:
                return None
            where, value = stored[0]
            return where.model.start_method(value, where, depth + 1)
        if not isinstance(call, ast.Call):
            return None
        kw = {k.arg: k.value for k in call.keywords}
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in N.CONTEXT_ATTRS
            and self.kind_of(func.value, scope) == N.CONTEXT
        ):
            return self.context_method(func.value, scope)
        for key in ("mp_context", "context"):
            if key in kw:
                return self.context_method(kw[key], scope)
        method = kw.get("start_method")
        if method is not None:
            return self.constant(method, scope)
        q = self.qual(call.func, scope) or ""
        if q in _PINNED_PROCESSES:
            return _PINNED_PROCESSES[q]
        if q in N.SPAWN_FUNCS:
            return N.SPAWN_FUNCS[q]
        kind = N.CONSTRUCTORS.get(q)
        if kind is not None:
            lib = N.lib_of(kind)
            if lib.methods is not None:
                return lib.methods[0]
            return DEFAULT
        info = self.resolve_class(call.func, scope)
        if info is not None:
            return self._class_method(info, depth)
        maker = self.resolve_function(call.func, scope)
        if maker is None or (maker.cls is not None and maker.name == "__init__"):
            return None
        returned = {
            maker.model.start_method(n.value, maker, depth + 1)
            for n in maker.nodes
            if isinstance(n, ast.Return) and n.value is not None
        }
        return returned.pop() if len(returned) == 1 else None  # what the factory returns, when all agree

    def _values_of(self, name: str, scope: Scope) -> List[ast.expr]:
        """Every value ``name`` is bound to in its scope: assigned, or each element of a list a loop walks
        (``procs = [Process(...) ...]``, ``procs.append(Process(...))``, ``for p in procs``)."""
        binder = self.lookup_scope(name, scope)
        values: List[ast.expr] = []
        for n in binder.nodes:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets):
                values.append(n.value)
            elif isinstance(n, (ast.For, ast.comprehension)) and isinstance(n.target, ast.Name) and n.target.id == name:
                values += self._elements_of(n.iter, binder)
        return values

    def _elements_of(self, expr: ast.expr, scope: Scope) -> List[ast.expr]:
        if isinstance(expr, (ast.List, ast.Tuple)):
            return list(expr.elts)
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
            return [expr.elt]
        if not isinstance(expr, ast.Name):
            return [expr]  # unknown: the caller cannot agree on it
        out: List[ast.expr] = []
        for n in self.lookup_scope(expr.id, scope).nodes:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets):
                inner = n.value
                if isinstance(inner, (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp)):
                    out += self._elements_of(inner, scope)
                else:
                    out.append(inner)
            elif (
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "append"
                and isinstance(n.func.value, ast.Name) and n.func.value.id == expr.id and n.args
            ):  # fmt: skip
                out.append(n.args[0])
        return out

    def _maker_method(self, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
        """The start method a literal names for the object ``made`` (see :meth:`start_method`), else None."""
        method = self.start_method(made, scope, depth)
        return None if method == DEFAULT else method

    def may_fork(self, node: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """Whether a start (``p.start()``, a pool made, a call to the program's function that starts one)
        may fork: made by the default context or one pinned to fork. A context whose method cannot be read
        is not claimed to fork (unresolved means silent); a function of the program forks when any start
        it makes (a few calls deep) may fork."""
        if not isinstance(node, ast.Call):
            return True
        if depth > _INLINE_DEPTH:
            return False
        func = node.func
        if isinstance(func, ast.Attribute) and self.kind_of(func.value, scope) in (
            N.PROCESS,
            N.MANAGER,
            N.POOL,
            N.EXECUTOR,
        ):
            return self.start_method(func.value, scope) in ("fork", DEFAULT)
        kind = self.kind_of(node, scope)
        if kind in (N.POOL, N.MANAGER, N.EXECUTOR) or (self.qual(func, scope) or "") in N.SPAWN_FUNCS:
            return self.start_method(node, scope) in ("fork", DEFAULT)
        callee = self.capable_callee(func, scope)
        if callee is None or callee is scope:
            return False
        model = callee.model
        model.ensure_kinds()
        for inner in callee.nodes:
            if (
                isinstance(inner, ast.Call)
                and model.start_kind(inner, callee)
                and model.may_fork(inner, callee, depth + 1)
            ):
                return True
        offset = 1 if callee.cls is not None and isinstance(func, ast.Attribute) else 0
        for param in callee.param_starts:
            arg = self.argument(node, callee.params.index(param) - offset, param)
            if (
                arg is not None
                and self.kind_of(arg, scope) == N.PROCESS
                and self.start_method(arg, scope) in ("fork", DEFAULT)
            ):
                return True
        return False

    def _pickled(
        self, kind: Optional[str], made: Optional[ast.expr], scope: Scope, via: str
    ) -> Tuple[bool, Optional[str]]:
        """Whether the library pickles what is sent (with pickle), and the start method a literal names."""
        lib = N.lib_of(kind)
        method = self._maker_method(made, scope) if made is not None else None
        if lib.pickler in ("dill", "cloudpickle"):
            return False, method
        if lib.pickler == "mpire":
            call = self.bound_value(made, scope) if made is not None else None
            dill = any(k.arg == "use_dill" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                       for k in getattr(call, "keywords", []))  # fmt: skip
            return (method in ("spawn", "forkserver") and not dill), method
        return True, method

    def _direct_sends(
        self, call: ast.Call, scope: Scope
    ) -> Iterator[Tuple[Optional[ast.expr], Tuple[ast.expr, ...], str, Optional[str], Optional[ast.expr]]]:
        """(function, arguments, via, kind of the maker, the maker) for each function ``call`` hands to a child."""
        func = call.func
        kind = self.kind_of(call, scope)
        subclass = self.resolve_class(func, scope)
        if kind == N.PROCESS and (subclass is None or subclass.method("run") is None):
            target = self.argument(call, 1, "target") if subclass is None else self.argument(call, 99, "target")
            args = self._elements(self.argument(call, 2, "args"))
            kwargs = self.argument(call, 3, "kwargs")
            if isinstance(kwargs, ast.Dict):
                args += tuple(v for v in kwargs.values if v is not None)
            yield target, args, "process", kind, call
        elif kind in (N.POOL, N.EXECUTOR):
            index = 1 if kind == N.POOL and getattr(kind, "lib", "") != "mpire" else 2
            init = self.argument(call, index, "initializer" if getattr(kind, "lib", "") != "mpire" else "worker_init")
            if init is not None:
                yield init, self._elements(self.argument(call, index + 1, "initargs")), "initializer", kind, call
        q = self.qual(func, scope) or ""
        if q in N.SPAWN_FUNCS:
            yield (
                self.argument(call, 0, "fn"),
                self._elements(self.argument(call, 1, "args")),
                "process",
                N.PROCESS,
                None,
            )
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            if receiver == N.POOL and func.attr in N.POOL_FUNC_METHODS:
                args = self._elements(self.argument(call, 1, "args")) if func.attr in N.POOL_ARGS_METHODS else ()
                yield self.argument(call, 0, "func"), args, "pool", receiver, func.value
            elif receiver == N.EXECUTOR and func.attr in N.EXECUTOR_FUNC_METHODS:
                rest = tuple(a for a in call.args[1:] if not isinstance(a, ast.Starred))
                fn = self.argument(call, 0, "fn") or self.argument(call, 0, "function")
                yield fn, rest if func.attr == "submit" else (), "executor", receiver, func.value

    def _forwarded_sends(self, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]:
        callee = self.capable_callee(call.func, scope)
        if callee is None or callee is scope:
            return
        callee.model.ensure_kinds()
        if not callee.forwards:
            return
        offset = 1 if callee.cls is not None and isinstance(call.func, ast.Attribute) else 0
        for param, via in callee.forwards.items():
            index = callee.params.index(param) - offset
            arg = self.argument(call, index, param)
            if arg is not None:
                yield arg, via, callee.forward_methods.get(param)

    def _compute_forwards_and_starts(self) -> None:
        calls = {id(s): [n for n in s.nodes if isinstance(n, ast.Call)] for s in self.scopes}
        for _ in range(3):  # a wrapper of a wrapper; stop when nothing new is learnt
            before = [(len(s.forwards), s.starts, len(s.param_starts)) for s in self.scopes]
            for scope in self.scopes:
                for node in calls[id(scope)]:
                    sent = [(f, via, pickled[1]) for f, _, via, kind, made in self._direct_sends(node, scope)
                            for pickled in [self._pickled(kind, made, scope, via)] if pickled[0]]  # fmt: skip
                    for f, via, method in [*sent, *self._forwarded_sends(node, scope)]:
                        if isinstance(f, ast.Name) and f.id in scope.params and f.id not in scope.forwards:
                            scope.forwards[f.id] = via
                            scope.forward_methods[f.id] = method
                    if self.start_kind(node, scope):
                        scope.starts = True
                    func = node.func
                    started = func.value if isinstance(func, ast.Attribute) and func.attr == "start" else None
                    if isinstance(started, ast.Name) and started.id in scope.params:
                        scope.param_starts.add(started.id)
            if before == [(len(s.forwards), s.starts, len(s.param_starts)) for s in self.scopes]:
                break

    def start_kind(self, call: ast.Call, scope: Scope) -> Optional[str]:
        """What process-starting thing ``call`` does: "process", "pool", "manager", "executor",
        "call" (a function of the program that starts one), or None."""
        if scope.model is not self:
            return scope.model.start_kind(call, scope)
        func = call.func
        kind = self.kind_of(call, scope)
        if kind == N.POOL and getattr(kind, "lib", "") not in ("pathos", "mpire"):  # those start at their first map
            return "pool"
        if kind == N.MANAGER and self.qual(func, scope) != "multiprocessing.managers.SyncManager":
            return "manager"  # Manager() starts its server process at once
        q = self.qual(func, scope) or ""
        if q in N.SPAWN_FUNCS:
            return "process"
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            if func.attr == "start" and receiver in (N.PROCESS, N.MANAGER):
                return str(receiver)
            if receiver == N.EXECUTOR and func.attr in N.EXECUTOR_FUNC_METHODS:
                return "executor"
            if (
                receiver == N.POOL
                and getattr(receiver, "lib", "") in ("pathos", "mpire")
                and func.attr in N.POOL_FUNC_METHODS
            ):
                return "pool"
        callee = self.capable_callee(func, scope)
        if callee is not None and callee is not scope:
            callee.model.ensure_kinds()
            if callee.starts:
                return "call"
            for param in callee.param_starts:
                offset = 1 if callee.cls is not None and isinstance(func, ast.Attribute) else 0
                arg = self.argument(call, callee.params.index(param) - offset, param)
                if self.kind_of(arg, scope) == N.PROCESS:
                    return "call"
        return None

    @property
    def sends(self) -> List[Send]:
        if self._sends is None:
            self.ensure_kinds()
            self._sends = self._collect_sends()
            self._send_roots: Dict[int, Tuple[Scope, ...]] = {}
            self._sends_by_call: Dict[int, List[Send]] = {}
            for send in self._sends:
                self._sends_by_call.setdefault(id(send.call), []).append(send)
                if send.root is not None:
                    self._send_roots[id(send.call)] = (*self._send_roots.get(id(send.call), ()), send.root)
        return self._sends

    def sends_at(self, call: ast.AST) -> List[Send]:
        """What the call hands to a child (the event a ``send`` event of a path was made from)."""
        _ = self.sends
        return self._sends_by_call.get(id(call), [])

    def _collect_sends(self) -> List[Send]:
        sends: List[Send] = []
        for scope in [self.module, *self.scopes]:
            for node in scope.nodes:
                if not isinstance(node, ast.Call):
                    continue
                kw = {k.arg: k.value for k in node.keywords}
                flag = kw.get("daemon")
                daemon = isinstance(flag, ast.Constant) and flag.value is True
                for f, args, via, kind, made in self._direct_sends(node, scope):
                    root = self.resolve_function(f, scope, instances=True)
                    pickled, method = self._pickled(kind, made, scope, via)
                    report = f if f is not None else node
                    sends.append(Send(node, f, args, via, scope, root, report, daemon, kind, method, pickled))
                for f, via, method in self._forwarded_sends(node, scope):
                    root = self.resolve_function(f, scope)
                    sends.append(Send(node, f, (), via, scope, root, f, method=method))
                info = self.resolve_class(node.func, scope)
                run = info.method("run") if info is not None and info.kind == N.PROCESS else None
                if run is not None:
                    sends.append(Send(node, None, (), "process", scope, run, node, daemon, N.PROCESS))
        return sends

    def local_class(self, expr: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The program's class ``expr`` names, if any (kept for the rules' wording)."""
        return self.resolve_class(expr, scope)

    @property
    def child_roots(self) -> List[Scope]:
        return [s.root for s in self.sends if s.root is not None]

    def child_side(self) -> Set[Scope]:
        """Every function of the program that may run in a child process this module starts."""
        if self._child is None:
            self._child = self.reach(self.child_roots)
        return self._child

    def thread_sends(self) -> List[Tuple[ast.AST, Scope]]:
        """(where, function) for each function of the program this module runs in a thread of its own."""
        if self._thread_sends is None:
            self.ensure_kinds()
            found: List[Tuple[ast.AST, Scope]] = []
            for scope in [self.module, *self.scopes]:
                for node in scope.nodes:
                    if not isinstance(node, ast.Call):
                        continue
                    func = node.func
                    root: Optional[Scope] = None
                    if self.kind_of(node, scope) == N.THREAD:
                        info = self.resolve_class(func, scope)
                        run = info.method("run") if info is not None else None
                        root = run or self.resolve_function(self.argument(node, 1, "target"), scope, True)
                    elif (
                        isinstance(func, ast.Attribute)
                        and func.attr in ("submit", "apply_async")
                        and self.kind_of(func.value, scope) == N.THREAD_POOL
                    ):
                        root = self.resolve_function(self.argument(node, 0, "fn"), scope, True)
                    if root is not None:
                        found.append((node, root))
            self._thread_sends = found
        return self._thread_sends

    # --- the parent's paths, in order -------------------------------------------------------------
    def enclosing(self, node: ast.AST) -> List[Tuple[ast.stmt, int]]:
        """The ``if``, ``while`` and ``try`` statements around ``node``, each with the arm it sits in:
        0 the body, 1 the ``else`` (of an ``if`` or a ``while``), 1 + n the n-th ``except`` of a ``try``."""
        if self._branches is None:
            self._branches = {}
            for stmt in ast.walk(self.tree):
                if isinstance(stmt, (ast.If, ast.While)):
                    arms = [stmt.body, stmt.orelse]
                elif isinstance(stmt, ast.Try):
                    arms = [stmt.body, *[h.body for h in stmt.handlers]]
                else:
                    continue
                for index, arm in enumerate(arms):
                    for part in arm:
                        for inner in ast.walk(part):
                            self._branches.setdefault(id(inner), []).append((stmt, index))
        return self._branches.get(id(node), [])

    def exclusive(self, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` and ``b`` sit in different branches of one ``if`` or ``try`` (never both run)."""
        arms_a = {id(stmt): arm for stmt, arm in self.enclosing(a) if not isinstance(stmt, ast.While)}
        return any(arms_a.get(id(stmt), arm) != arm for stmt, arm in self.enclosing(b))

    @property
    def entry_points(self) -> List[EntryPoint]:
        """The console scripts of the project's metadata that name a function of this module."""
        return [ep for ep in self.program.entry_points if self.program.find_module(ep.module, self.file) is self.file]

    @property
    def events(self) -> List[Event]:
        """The script path: the module's top-level code and its main block."""
        return self.paths[0].events

    @property
    def paths(self) -> List[EntryPath]:
        if self._paths is None:
            self._paths = self._build_paths()
        return self._paths

    def _build_paths(self) -> List[EntryPath]:
        _ = self.sends
        events: List[Event] = []
        for stmt in self.tree.body:
            if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
                self._walk_stmts(stmt.body, self.module, True, None, events, 0)
                self._walk_stmts(stmt.orelse, self.module, False, None, events, 0)
            else:
                self._walk_stmts([stmt], self.module, False, None, events, 0)
        paths = [EntryPath("script", self.path, events)]
        import_time = [e for e in events if not e.in_main_block]
        for ep in self.entry_points:
            root = self.member(ep.function.split("."))
            if isinstance(root, Scope):
                body: List[Event] = list(import_time)
                self._walk_stmts(root.body(), root, True, None, body, 0)
                paths.append(EntryPath("console", f"{ep.script} = {ep.module}:{ep.function}", body, root))
        if _is_test_file(self.file.path):
            for root in self._tests():
                if not self._acts(root):
                    continue  # a test that starts nothing itself: its path cannot hold an order-based finding
                body = list(import_time)
                if root.cls is not None:
                    for name in _SETUPS:
                        setup = root.cls.method(name)
                        if setup is not None:
                            self._walk_stmts(setup.body(), setup, True, None, body, 0)
                self._walk_stmts(root.body(), root, True, None, body, 0)
                paths.append(EntryPath("test", root.qualname, body, root))
        for where, root in self.thread_sends():  # the target may be another module's: walked by its own model
            body = []
            _ = root.model.sends
            root.model._walk_stmts(root.body(), root, True, None, body, 0)
            paths.append(EntryPath("thread", root.qualname, body, root, where))
        return paths

    def _acts(self, test: Scope) -> bool:
        """Whether a test (or its ``setUp``) itself starts a process or a thread, or hands a function to one."""
        scopes = [test] + [m for m in (test.cls.method(n) for n in _SETUPS) if m is not None] if test.cls else [test]
        for scope in scopes:
            for node in scope.nodes:
                if isinstance(node, ast.Call) and (
                    id(node) in self._send_roots
                    or self.start_kind(node, scope)
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "start")
                ):
                    return True
        return False

    def _tests(self) -> Iterator[Scope]:
        for name, scope in self.module.defs.items():
            if name.startswith("test"):
                yield scope
        for info in self.classes.values():
            if info.name.startswith("Test") or info.is_testcase:
                for name, scope in info.methods.items():
                    if name.startswith("test"):
                        yield scope

    def aliases(self, scope: Scope) -> Dict[str, str]:
        """Names that stand for each element of a list (``for t in threads``, ``threads.append(t)``)."""
        found = self._aliases.get(id(scope))
        if found is None:
            found = {}
            for node in scope.nodes:
                if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    if isinstance(node.target, ast.Name) and isinstance(node.iter, (ast.Name, ast.Attribute)):
                        found[node.target.id] = "each:" + ast.unparse(node.iter)
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "append"
                    and node.args
                    and isinstance(node.args[0], ast.Name)
                ):
                    found.setdefault(node.args[0].id, "each:" + ast.unparse(node.func.value))
            self._aliases[id(scope)] = found
        return found

    def _key(self, expr: ast.expr, scope: Scope) -> str:
        if isinstance(expr, ast.Name):
            alias = self.aliases(scope).get(expr.id)
            if alias:
                return alias
        return ast.unparse(expr)

    def _walk_stmts(
        self,
        stmts: Sequence[ast.stmt],
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.If):
                self._walk_nodes([stmt.test], scope, in_main, report, out, depth)
                self._walk_stmts(stmt.body, scope, in_main, report, out, depth)
                self._walk_stmts(stmt.orelse, scope, in_main, report, out, depth)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                self._walk_nodes([stmt.iter, stmt.target], scope, in_main, report, out, depth)
                self._walk_stmts(stmt.body, scope, in_main, report, out, depth)
                self._walk_stmts(stmt.orelse, scope, in_main, report, out, depth)
            elif isinstance(stmt, ast.While):
                self._walk_nodes([stmt.test], scope, in_main, report, out, depth)
                self._walk_stmts(stmt.body, scope, in_main, report, out, depth)
                self._walk_stmts(stmt.orelse, scope, in_main, report, out, depth)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                exits = []
                at_exit: List[Event] = []
                for item in stmt.items:
                    manager = self._generator_manager(item.context_expr, scope, depth)
                    # a @contextmanager's code up to its yield runs here, the rest when the block ends
                    if manager is not None and isinstance(item.context_expr, ast.Call):
                        before, after = self._split_at_yield(item.context_expr, manager, scope, in_main, report, depth)
                        out.extend(before)
                        at_exit[:0] = after
                        continue
                    self._walk_nodes([item.context_expr], scope, in_main, report, out, depth)
                    kind = self.kind_of(item.context_expr, scope)
                    held = item.optional_vars if item.optional_vars is not None else item.context_expr
                    if kind == N.THREAD_POOL:
                        if self._starts_threads_at_once(item.context_expr, scope):
                            out.append(
                                Event(
                                    "thread_start",
                                    item.context_expr,
                                    report or item.context_expr,
                                    in_main,
                                    scope,
                                    self._key(held, scope),
                                )
                            )
                        exits.append(held)
                self._walk_stmts(stmt.body, scope, in_main, report, out, depth)
                for held in exits:  # leaving the block shuts the pool down: its threads end
                    out.append(Event("thread_join", held, report or held, in_main, scope, self._key(held, scope)))
                out.extend(at_exit)
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self._walk_stmts(stmt.body, scope, in_main, report, out, depth)  # type: ignore[attr-defined]
                for handler in stmt.handlers:  # type: ignore[attr-defined]
                    self._walk_stmts(handler.body, scope, in_main, report, out, depth)
                self._walk_stmts(stmt.orelse, scope, in_main, report, out, depth)  # type: ignore[attr-defined]
                self._walk_stmts(stmt.finalbody, scope, in_main, report, out, depth)  # type: ignore[attr-defined]
            elif type(stmt).__name__ == "Match":
                self._walk_nodes([stmt.subject], scope, in_main, report, out, depth)  # type: ignore[attr-defined]
                for case in stmt.cases:  # type: ignore[attr-defined]
                    self._walk_stmts(case.body, scope, in_main, report, out, depth)
            else:
                self._walk_nodes([stmt], scope, in_main, report, out, depth)

    def _generator_manager(self, expr: ast.expr, scope: Scope, depth: int) -> Optional[Scope]:
        """The program's ``@contextmanager`` generator a ``with`` item calls (to be inlined), else None."""
        if not isinstance(expr, ast.Call) or depth >= _INLINE_DEPTH:
            return None
        callee = self.resolve_function(expr.func, scope)
        if callee is None or callee in self.child_side_of_callee(callee):
            return None
        home = callee.parent or callee.model.module
        if not any(callee.model.qual(d, home) in N.CONTEXT_MANAGERS for d in callee.decorators()):
            return None
        return callee if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in callee.nodes) else None

    def _split_at_yield(
        self, call: ast.Call, manager: Scope, scope: Scope, in_main: bool, report: Optional[ast.AST], depth: int
    ) -> Tuple[List[Event], List[Event]]:
        """The events of a ``@contextmanager`` generator's body: those before its (last) ``yield``, which run
        when the ``with`` block is entered, and those after it, which run when the block ends (a thread it
        starts before the yield runs during the block: Cython's time-stamper around an executor's submits)."""
        before: List[Event] = []
        self._walk_nodes([*call.args, *(k.value for k in call.keywords)], scope, in_main, report, before, depth)
        after: List[Event] = []
        last = max(_start(n) for n in manager.nodes if isinstance(n, (ast.Yield, ast.YieldFrom)))
        for e in manager.model.inlined(manager, depth + 1):
            forced = e.forced if e.force_param is None else _force_from(call, e.force_param)
            moved = Event(e.kind, e.node, report or call, in_main, e.scope, e.detail, forced, e.roots)
            (before if _start(e.report) < last else after).append(moved)
        return before, after

    def _starts_threads_at_once(self, expr: ast.expr, scope: Scope) -> bool:
        q = self.qual(expr.func, scope) if isinstance(expr, ast.Call) else None
        return bool(q) and "ThreadPoolExecutor" not in (q or "") and "pebble" not in (q or "")

    def _walk_nodes(
        self,
        nodes: Sequence[ast.AST],
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None:
        def emit(
            kind: str,
            node: ast.AST,
            detail: str = "",
            forced: bool = False,
            roots: Tuple[Scope, ...] = (),
            force_param: Optional[str] = None,
        ) -> None:
            out.append(Event(kind, node, report or node, in_main, scope, detail, forced, roots, force_param))

        for node in own_nodes(nodes):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._assign_events(target, scope, emit)
                value = node.value
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(value, ast.Call)
                    and len(node.targets) == 1
                    and self.kind_of(value, scope) == N.THREAD_POOL
                    and self._starts_threads_at_once(value, scope)
                ):
                    emit("thread_start", value, self._key(node.targets[0], scope))
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and scope.is_module:
                for alias in node.names:
                    emit("import", node, (alias.asname or alias.name).split(".")[0])
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and self.qual(target.value, scope) == "os.environ":
                        emit("environ", node, literal(target.slice))
            elif isinstance(node, ast.Call):
                if id(node) in self._send_roots:
                    emit("send", node, roots=self._send_roots[id(node)])
                self._call_events(node, scope, emit)
                callee = self.callee(node, scope)
                if callee is not None and depth < _INLINE_DEPTH and callee not in self.child_side_of_callee(callee):
                    for e in callee.model.inlined(callee, depth + 1):
                        forced = e.forced
                        if e.force_param is not None:
                            forced = _force_from(node, e.force_param)
                        out.append(Event(e.kind, e.node, report or node, in_main, e.scope, e.detail, forced, e.roots))

    def child_side_of_callee(self, callee: Scope) -> Set[Scope]:
        """Functions that run in a child are not inlined into the parent's path (their effects are the child's)."""
        return self.child_side() if callee.model is self else set()

    def inlined(self, callee: Scope, depth: int) -> List[Event]:
        """The events of ``callee``'s body (each shown at the node that does it), computed once per depth."""
        key = (id(callee), depth)
        if key in self._inlined:
            return self._inlined[key]
        if id(callee) in self._inlining:
            return []
        self._inlining.add(id(callee))
        try:
            _ = self.sends
            out: List[Event] = []
            self._walk_stmts(callee.body(), callee, True, None, out, depth)
        finally:
            self._inlining.discard(id(callee))
        self._inlined[key] = out
        return out

    def _assign_events(self, target: ast.expr, scope: Scope, emit: object) -> None:
        assert callable(emit)
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._assign_events(elt, scope, emit)
        elif isinstance(target, ast.Starred):
            self._assign_events(target.value, scope, emit)
        elif isinstance(target, ast.Name):
            if self.lookup_scope(target.id, scope).is_module:
                emit("assign", target, target.id)
        elif isinstance(target, ast.Subscript):
            if self.qual(target.value, scope) == "os.environ":
                emit("environ", target, literal(target.slice))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            emit("attr_assign", target, target.value.id)

    def _call_events(self, node: ast.Call, scope: Scope, emit: object) -> None:
        assert callable(emit)
        func = node.func
        q = self.qual(func, scope) or ""
        started = self.start_kind(node, scope)
        if started:
            emit("start", node, started)
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            key = self._key(func.value, scope)
            if receiver == N.THREAD and func.attr == "start":
                emit("thread_start", node, key)
            elif receiver == N.THREAD and func.attr in ("join", "stop", "cancel"):
                emit("thread_join", node, key)
            elif receiver == N.THREAD_POOL and func.attr in ("submit", "map", "apply_async", "schedule"):
                emit("thread_start", node, key)
            elif receiver == N.THREAD_POOL and func.attr in ("shutdown", "join", "terminate"):
                wait = self.argument(node, 0, "wait")
                if not (func.attr == "shutdown" and isinstance(wait, ast.Constant) and wait.value is False):
                    emit("thread_join", node, key)
            if func.attr in N.ENVIRON_METHODS and self.qual(func.value, scope) == "os.environ":
                emit("environ", node, literal(node.args[0]) if node.args and func.attr != "update" else "")
        if q in N.ENVIRON_FUNCS:
            emit("environ", node, literal(node.args[0]) if node.args else "")
        elif q in N.FORK_FUNCS:
            emit("fork", node)
        elif q == "signal.signal" and len(node.args) >= 2:
            handler = node.args[1]
            hq = self.qual(handler, scope) or ""
            if not (hq in N.SIGNAL_DEFAULTS or hq.startswith("signal.Handlers") or isinstance(handler, ast.Constant)):
                emit("signal", node, ast.dump(node.args[0]))
        elif q in N.SET_START_METHOD or (
            isinstance(func, ast.Attribute)
            and func.attr == "set_start_method"
            and self.kind_of(func.value, scope) == N.CONTEXT
        ):
            force = self.argument(node, 1, "force")
            forced = isinstance(force, ast.Constant) and bool(force.value)
            force_param = None
            if force is None and any(k.arg is None for k in node.keywords):  # **kwargs: the caller's keywords
                force_param = "**"
            elif isinstance(force, ast.Name) and force.id in scope.params:
                force_param, forced = force.id, True
            elif force is not None and not isinstance(force, ast.Constant):
                forced = True  # not a literal: cannot tell, so do not claim it is missing
            emit("set_start_method", node, forced=forced, force_param=force_param)
        elif q in N.LOGGING_CONFIG:
            emit("logging_config", node)

    def _scan_methods(self) -> Optional[Set[str]]:
        """The start methods the module names as literals; None when one is not a literal or the default
        context is used without ``set_start_method`` (then any method may run, depending on the platform)."""
        found: Set[str] = set()
        uses_default = has_set = False
        for scope in [self.module, *self.scopes]:
            for node in scope.nodes:
                if not isinstance(node, ast.Call):
                    continue
                q = self.qual(node.func, scope) or ""
                if q in N.SET_START_METHOD or q in N.GET_CONTEXT:
                    has_set = has_set or q in N.SET_START_METHOD
                    arg = self.argument(node, 0, "method")
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
                    elif arg is None and q in N.GET_CONTEXT:
                        uses_default = True
                    else:
                        return None
                else:
                    kind = N.CONSTRUCTORS.get(q)
                    if kind in (N.PROCESS, N.POOL, N.MANAGER, N.EXECUTOR):
                        lib = N.lib_of(kind)
                        if lib.methods is not None:
                            found.update(lib.methods)
                            continue
                        kw = {k.arg: k.value for k in node.keywords}
                        literal = kw.get("start_method")
                        if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                            found.add(literal.value)
                        elif kind == N.EXECUTOR or getattr(kind, "lib", "") == "pebble":
                            uses_default = uses_default or (
                                self.argument(node, 2, "mp_context") is None and "context" not in kw
                            )
                        elif getattr(kind, "lib", "") == "mpire":
                            found.add("fork")  # mpire's default wherever fork exists
                        else:
                            uses_default = True
        if uses_default and not has_set and _is_test_file(self.file.path):
            pinned = self._pinned_by_conftest()
            if pinned:  # a conftest.py pins the default context before any test runs
                found |= pinned
                has_set = True
        return found if found and (has_set or not uses_default) else None

    def _pinned_by_conftest(self) -> Set[str]:
        """The start methods the conftest.py files above this test module pin with ``set_start_method()``
        (at import, in ``pytest_configure`` or a fixture); empty when none does or one is not a literal."""
        found: Set[str] = set()
        here = self.file.path.absolute().parent
        for folder in [here, *here.parents][:6]:
            conf = self.program.by_path.get(folder / "conftest.py")
            model = self.program.model(conf) if conf is not None and conf is not self.file else None
            if model is None:
                continue
            for scope in [model.module, *model.scopes]:
                for node in scope.nodes:
                    if isinstance(node, ast.Call) and (model.qual(node.func, scope) or "") in N.SET_START_METHOD:
                        method = model.constant(model.argument(node, 0, "method"), scope)
                        if method is None:
                            return set()
                        found.add(method)
        return found

    @property
    def explicit_methods(self) -> Optional[Set[str]]:
        if self._explicit is None:
            self.ensure_kinds()
            self._explicit = (self._scan_methods(),)
        return self._explicit[0]

    def may_use(self, methods: Iterable[str]) -> bool:
        """Whether the module may start children with one of ``methods`` (True unless every method it
        names is a literal and none of them is in ``methods``)."""
        explicit = self.explicit_methods
        return explicit is None or bool(explicit & set(methods))

    # --- helpers for rules -------------------------------------------------------------------------
    def global_reads(self, scope: Scope) -> Dict[str, ast.Name]:
        """Module-level names that ``scope`` reads (first read of each)."""
        reads: Dict[str, ast.Name] = {}
        for node in scope.nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in reads:
                reads.update({node.id: node} if self.lookup_scope(node.id, scope).is_module else {})
        return reads

    @property
    def loggers(self) -> Set[str]:
        """Module-level names bound to ``logging.getLogger(...)``."""
        if self._loggers is None:
            self._loggers = {
                t.id
                for node in self.tree.body
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and self.qual(node.value.func, self.module) == "logging.getLogger"
                for t in node.targets if isinstance(t, ast.Name)
            }  # fmt: skip
        return self._loggers


def literal(expr: Optional[ast.AST]) -> str:
    """A string constant's value, else ``""``."""
    return str(expr.value) if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else ""


def _force_from(call: ast.Call, param: str) -> bool:
    keywords = {k.arg: k.value for k in call.keywords}
    value = keywords.get("force") if param == "**" else keywords.get(param)
    if param != "**" and value is None:
        return True  # the parameter's value is not a literal here: cannot tell
    return isinstance(value, ast.Constant) and bool(value.value)
