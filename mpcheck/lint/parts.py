"""The parts of a module's model and the words every part shares: a :class:`Scope` (a function or the
module), a :class:`ClassInfo`, a :class:`Send` (what is handed to a child), an :class:`Event` and an
:class:`EntryPath` (what the parent does, in order), and :class:`Module`, the protocol through which the
model's parts (:mod:`.binding`, :mod:`.kinds`, :mod:`.start_methods`, :mod:`.sends`, :mod:`.paths`) and
the rules ask a module's model (:class:`~.model.ModuleModel`) what they need.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Protocol, Sequence, Set, Tuple, Union

from . import names as N
from .program import EntryPoint, Program, SourceFile

FuncNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
CONFLICT = "<conflict>"
INLINE_DEPTH = 4
_TESTCASES = frozenset(
    {
        "unittest.TestCase",
        "unittest.case.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
    }
)

Pos = Tuple[int, int]
#: the start method of the default context: the platform's, or what ``set_start_method()`` chose
DEFAULT = "<default>"


#: the methods by which a class says how it is pickled (what it keeps on self may then not travel)
PICKLE_HOOKS = ("__getstate__", "__reduce__", "__reduce_ex__")


def _own_children(node: ast.AST) -> List[ast.AST]:
    """The children of ``node`` that run in its scope: of a function, lambda or class only its decorators,
    defaults, bases and keywords."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        children: List[ast.AST] = [*node.decorator_list, *node.args.defaults]
        return children + [d for d in node.args.kw_defaults if d is not None]
    if isinstance(node, ast.Lambda):
        return [*node.args.defaults]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords]
    return list(ast.iter_child_nodes(node))


def own_nodes(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` in source order that runs in their scope: not the bodies of nested
    functions, lambdas or classes (their decorators, defaults and bases do run here)."""
    stack: List[ast.AST] = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_own_children(node)))


def run_order(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """:func:`own_nodes` in the order they run: a call comes after its function and arguments, which Python
    evaluates first (``Pool(initializer=init(args))`` runs ``init`` in the parent before the pool starts)."""
    stack: List[Tuple[ast.AST, bool]] = [(n, False) for n in reversed(list(nodes))]
    while stack:
        node, evaluated = stack.pop()
        if evaluated:
            yield node
            continue
        if isinstance(node, ast.Call):
            stack.append((node, True))  # once its children are done
        else:
            yield node
        stack.extend((c, False) for c in reversed(_own_children(node)))


def import_time_statements(tree: ast.Module) -> List[ast.stmt]:
    """The module-level statements a module's import runs, in source order: its body, where a main guard
    (``if __name__ == "__main__":``) gives only its ``else`` branch (the main block runs in the script alone)."""
    found: List[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
            found.extend(stmt.orelse)
        else:
            found.append(stmt)
    return found


def is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def end_of(node: ast.AST) -> Pos:
    line = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
    col = getattr(node, "end_col_offset", None) or 0
    return (int(line or 0), int(col or 0))


def start_of(node: ast.AST) -> Pos:
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
    #: params that travel to a child as an argument (or kept by the object sent): (how it is sent, the method)
    arg_forwards: Dict[str, Tuple[str, Optional[str]]] = field(default_factory=dict)
    starts: bool = False

    _nodes: Optional[List[ast.AST]] = None
    _return_kind: Optional[str] = None
    _return_done: bool = False
    _values: Optional[Dict[str, List[ast.expr]]] = None  # what each name is bound to (bound_value's index)

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
                            if isinstance(target, ast.Attribute) and target.attr == attr and is_self(target, method):
                                found.append((method, node.value))
        return found

    def attr_kind(self, attr: str) -> Optional[str]:
        for info in self.mro():
            info.model.ensure_kinds()
            if attr in info.attr_kinds:
                kind = info.attr_kinds[attr]
                return None if kind == CONFLICT else kind
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
    #            logging_config, fork, import, send, mutate (a module-level table changed in place),
    #            attr_mutate (``owner.attr`` changed in place: a class's table; detail "owner.attr"),
    #            log_sink (a handler or sink added to a module-level logger), log_level (its level set),
    #            fill (``parse_args(values=OBJ)`` or ``namespace=OBJ`` sets a module-level object's attributes)
    node: ast.AST
    report: ast.AST
    in_main_block: bool  # runs in the parent only (main block, an entry function, a test), not at import
    scope: Scope
    detail: str = ""
    forced: bool = False
    roots: Tuple[Scope, ...] = ()  # for "send": the program's functions that will run in the child
    force_param: Optional[str] = None  # set_start_method's force comes from the caller ("**" or a parameter)
    #: it happens only under a condition (an if, a while, an except) in one of the functions inlined to reach it
    guarded: bool = False
    #: reached through a method of an object of the program's class (``Runner().run()``): only MP112 reads these
    through: bool = False
    #: the calls of the program's functions inlined to reach it, outermost first, each with the scope it is in
    calls: Tuple[Tuple[ast.AST, Scope], ...] = ()


@dataclass
class EntryPath:
    """One way the parent runs: ``kind`` is "script" (import time and the main block), "console" (an
    entry point), "test" or "thread" (a thread target: every start in it happens with threads running)."""

    kind: str
    name: str
    events: List[Event]
    root: Optional[Scope] = None
    thread_start: Optional[ast.AST] = None  # for "thread": where the thread is started
    #: ``events`` and the starts and threads reached through an object's method (``Runner().run()``)
    with_objects: List[Event] = field(default_factory=list)


def is_self(expr: ast.Attribute, scope: Scope) -> bool:
    """Whether ``expr`` is ``self.attr`` in a method (its first parameter, whatever its name)."""
    return isinstance(expr.value, ast.Name) and bool(scope.params) and expr.value.id == scope.params[0]


def is_test_module(path: Path) -> bool:
    """A file a test runner imports by its name: ``test_*.py``, ``*_test.py``, ``conftest.py``."""
    name = path.name
    return name.startswith("test") or name.endswith("_test.py") or name == "conftest.py"


def is_test_file(path: Path) -> bool:
    """A test module, or any file under a ``test``, ``tests`` or ``testing`` folder."""
    return is_test_module(path) or any(p in ("test", "tests", "testing") for p in path.parts[:-1])


def argument(call: ast.Call, index: int, keyword: str) -> Optional[ast.expr]:
    """The argument of ``call`` at position ``index`` or named ``keyword`` (None if not given or after a ``*``)."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if 0 <= index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


def elements(expr: Optional[ast.expr]) -> Tuple[ast.expr, ...]:
    """The elements of a literal tuple or list (none for anything else)."""
    if isinstance(expr, (ast.Tuple, ast.List)):
        return tuple(e for e in expr.elts if not isinstance(e, ast.Starred))
    return ()


def literal(expr: Optional[ast.AST]) -> str:
    """A string constant's value, else ``""``."""
    return str(expr.value) if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else ""


class Module(Protocol):
    """The model of one module as its parts and the rules see it: what :class:`~.model.ModuleModel` holds
    and answers. Each part (a mixin of ``ModuleModel``) asks the others through this protocol, so none of
    them imports another and nothing imports the model's assembly."""

    tree: ast.Module
    program: Program[Module]
    file: SourceFile
    imports: Dict[str, str]
    module_names: Set[str]
    dotted: Set[str]
    classes: Dict[str, ClassInfo]
    scopes: List[Scope]
    module: Scope
    main_block: List[ast.stmt]
    _kinds_state: int
    _sends: Optional[List[Send]]
    _send_roots: Dict[int, Tuple[Scope, ...]]
    _sends_by_call: Dict[int, List[Send]]
    _thread_sends: Optional[List[Tuple[ast.AST, Scope]]]
    _paths: Optional[List[EntryPath]]
    _explicit: Optional[Tuple[Optional[Set[str]]]]
    _branches: Optional[Dict[int, List[Tuple[ast.stmt, int]]]]
    _inlined: Dict[Tuple[int, int], List[Event]]
    _inlining: Set[int]
    _following: Set[int]
    _aliases: Dict[int, Dict[str, str]]
    _child: Optional[Set[Scope]]
    _child_not_inlined: Optional[Set[Scope]]
    _loggers: Optional[Set[str]]
    _entry_pins: Dict[str, Tuple[Set[Module], Optional[Set[str]]]]
    _local_imports: Dict[int, Dict[str, str]]

    # --- imports, scopes and what a name refers to (binding.py) ----------------------------------
    def _collect_imports(self) -> None: ...

    @property
    def uses_multiprocessing(self) -> bool: ...

    @property
    def capable(self) -> bool: ...

    @property
    def path(self) -> str: ...

    def member(self, rest: Sequence[str], depth: int = 0) -> object: ...

    def lookup_scope(self, name: str, scope: Scope) -> Scope: ...

    def qual(self, expr: ast.expr, scope: Scope) -> Optional[str]: ...

    def _local_import(self, name: str, binder: Scope) -> Optional[str]: ...

    def _import_names(self, node: Union[ast.Import, ast.ImportFrom]) -> Iterator[Tuple[str, str]]: ...

    def _build_scope(self, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool) -> None: ...

    def _walk_body(self, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool) -> None: ...

    def _add_function(self, scope: Scope, node: FuncNode, cls: Optional[ClassInfo], in_main: bool) -> None: ...

    def _add_class(self, scope: Scope, node: ast.ClassDef, in_main: bool) -> None: ...

    def global_reads(self, scope: Scope) -> Dict[str, ast.Name]: ...

    @property
    def loggers(self) -> Set[str]: ...

    # --- what a name or an expression is (kinds.py) ----------------------------------------------
    def global_kind(self, name: str) -> Optional[str]: ...

    def ensure_kinds(self) -> None: ...

    def resolve_class(self, expr: ast.AST, scope: Scope) -> Optional[ClassInfo]: ...

    def _capable_target(self, q: str) -> bool: ...

    def capable_callee(self, func: ast.expr, scope: Scope, instances: bool = False) -> Optional[Scope]: ...

    def kind_of(self, expr: Optional[ast.AST], scope: Scope) -> Optional[str]: ...

    def _call_kind(self, expr: ast.Call, scope: Scope) -> Optional[str]: ...

    def _name_kind(self, expr: ast.Name, scope: Scope) -> Optional[str]: ...

    def _imported_kind(self, q: str) -> Optional[str]: ...

    def _bind(self, table: Dict[str, str], name: str, kind: Optional[str]) -> None: ...

    def _compute_kinds(self, scope: Scope) -> None: ...

    def _param_kinds(self, scope: Scope) -> None: ...

    def _is_fixture(self, scope: Scope) -> bool: ...

    def fixture(self, name: str) -> Optional[Scope]: ...

    def _bind_target(self, scope: Scope, target: ast.expr, kind: Optional[str], pos: Pos) -> None: ...

    def resolve_function(self, expr: Optional[ast.AST], scope: Scope, instances: bool = False) -> Optional[Scope]: ...

    def _bound_partial(self, name: ast.Name, scope: Scope) -> Optional[ast.Call]: ...

    def callee(self, call: ast.Call, scope: Scope) -> Optional[Scope]: ...

    def calls(self, scope: Scope) -> Iterator[Tuple[ast.Call, Scope]]: ...

    def reach(self, roots: Iterable[Scope]) -> Set[Scope]: ...

    def _object_methods_called(self, scope: Scope) -> Iterator[Scope]: ...

    @staticmethod
    def argument(call: ast.Call, index: int, keyword: str) -> Optional[ast.expr]:
        return argument(call, index, keyword)  # implemented here too: the rules call ``Module.argument``

    @staticmethod
    def _elements(expr: Optional[ast.expr]) -> Tuple[ast.expr, ...]:
        return elements(expr)

    def bound_value(self, expr: ast.expr, scope: Scope) -> Optional[ast.expr]: ...

    def constant(self, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]: ...

    # --- which start method each start uses, which the module may use (start_methods.py) ---------
    def context_method(self, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]: ...

    def _class_method(self, info: ClassInfo, depth: int) -> Optional[str]: ...

    def start_method(self, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]: ...

    def _context_tried(self, made: ast.Call, scope: Scope) -> Optional[str]: ...

    def _values_of(self, name: str, scope: Scope) -> List[ast.expr]: ...

    def _elements_of(self, expr: ast.expr, scope: Scope) -> List[ast.expr]: ...

    def _maker_method(self, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]: ...

    def may_fork(self, node: ast.AST, scope: Scope, depth: int = 0) -> bool: ...

    def pinned_method(self, node: ast.AST, scope: Scope, depth: int = 0) -> Optional[str]: ...

    def send_method(self, send: Send) -> Optional[str]: ...

    def pool_maker(self, expr: ast.expr, at: ast.AST, scope: Scope) -> Optional[ast.Call]: ...

    def inherited_method(self, scope: Scope) -> Optional[str]: ...

    def _scan_methods(self) -> Optional[Set[str]]: ...

    def _pinned_by_conftest(self) -> Set[str]: ...

    def _pinned_by_entry_points(self) -> Set[str]: ...

    def _pinned_by_imports(self) -> Set[str]: ...

    @property
    def explicit_methods(self) -> Optional[Set[str]]: ...

    def may_use(self, methods: Iterable[str]) -> bool: ...

    # --- what runs in a child (sends.py) ---------------------------------------------------------
    def _pickled(
        self, kind: Optional[str], made: Optional[ast.expr], scope: Scope, via: str
    ) -> Tuple[bool, Optional[str]]: ...

    def _direct_sends(
        self, call: ast.Call, scope: Scope
    ) -> Iterator[Tuple[Optional[ast.expr], Tuple[ast.expr, ...], str, Optional[str], Optional[ast.expr]]]: ...

    def _returns_nothing(self, expr: ast.expr, scope: Scope) -> bool: ...

    def stored_args(self, call: ast.Call, scope: Scope) -> Tuple[ast.expr, ...]: ...

    def _kept(self, sent: ast.expr, scope: Scope) -> Tuple[ast.expr, ...]: ...

    def _base_run_called(self, info: ClassInfo, depth: int = 0) -> bool: ...

    def _called_arguments(self, send: Send) -> List[Scope]: ...

    def _subclass_run(self, call: ast.Call, scope: Scope) -> Optional[Scope]: ...

    def _forwarded_args(self, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]: ...

    def _forwarded_sends(self, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]: ...

    def _compute_forwards_and_starts(self) -> None: ...

    def start_kind(self, call: ast.Call, scope: Scope) -> Optional[str]: ...

    @property
    def sends(self) -> List[Send]: ...

    def sends_at(self, call: ast.AST) -> List[Send]: ...

    def _collect_sends(self) -> List[Send]: ...

    def local_class(self, expr: ast.expr, scope: Scope) -> Optional[ClassInfo]: ...

    @property
    def child_roots(self) -> List[Scope]: ...

    def child_side(self) -> Set[Scope]: ...

    def thread_sends(self) -> List[Tuple[ast.AST, Scope]]: ...

    # --- what the parent does, in order (paths.py) -----------------------------------------------
    def enclosing(self, node: ast.AST) -> List[Tuple[ast.stmt, int]]: ...

    def exclusive(self, a: ast.AST, b: ast.AST) -> bool: ...

    @property
    def entry_points(self) -> List[EntryPoint]: ...

    @property
    def events(self) -> List[Event]: ...

    @property
    def paths(self) -> List[EntryPath]: ...

    def _build_paths(self) -> List[EntryPath]: ...

    def class_body_starts(self) -> List[Event]: ...

    def _acts(self, test: Scope) -> bool: ...

    def _tests(self) -> Iterator[Scope]: ...

    def aliases(self, scope: Scope) -> Dict[str, str]: ...

    def _key(self, expr: ast.expr, scope: Scope) -> str: ...

    def _walk_stmts(
        self,
        stmts: Sequence[ast.stmt],
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None: ...

    def _generator_manager(self, expr: ast.expr, scope: Scope, depth: int) -> Optional[Scope]: ...

    def _split_at_yield(
        self, call: ast.Call, manager: Scope, scope: Scope, in_main: bool, report: Optional[ast.AST], depth: int
    ) -> Tuple[List[Event], List[Event]]: ...

    def _starts_threads_at_once(self, expr: ast.expr, scope: Scope) -> bool: ...

    def _restored_handler(self, handler: ast.expr, scope: Scope) -> bool: ...

    def _pool_with_threads(self, expr: ast.expr, scope: Scope) -> bool: ...

    def _walk_nodes(
        self,
        nodes: Sequence[ast.AST],
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None: ...

    def _decorator_events(
        self,
        node: ast.AST,
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None: ...

    def logger_key(self, expr: ast.expr, scope: Scope) -> Optional[str]: ...

    def _object_method(self, call: ast.Call, scope: Scope) -> Optional[Scope]: ...

    def conditional(self, node: ast.AST, scope: Scope) -> bool: ...

    def child_side_of_callee(self, callee: Scope) -> Set[Scope]: ...

    def inlined(self, callee: Scope, depth: int) -> List[Event]: ...

    def _assign_events(self, target: ast.expr, scope: Scope, emit: object) -> None: ...

    def _call_events(self, node: ast.Call, scope: Scope, emit: object, calls_start: bool = True) -> None: ...
