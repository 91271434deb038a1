"""What one module does with processes, read from its syntax tree once; every rule asks this model.

The model answers the questions the rules share, so each is answered the same way for all of them:

* what a name or expression is (:meth:`Module.kind_of`): a Process, a Pool, a Queue... through the
  imports, ``get_context()`` objects, subclasses, lists of processes and ``with ... as`` names;
* which functions run in a child (:attr:`Module.sends`, :meth:`Module.reach`): targets, pool and
  executor tasks, initializers, a Process subclass's ``run``, and what they call in this module;
* what the parent does in which order (:attr:`Module.events`): the module's top-level code and its
  main block, with the module's own functions that it calls inlined (a few levels deep), so that
  "``os.environ`` changed after the first start" holds when the start is inside a helper.

It is deliberately local: one file, no imports followed, no types beyond what constructors say. A
name whose kind it cannot tell is unknown, and rules treat unknown as "do not flag".
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from . import names as N

FuncNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_BUILTINS = frozenset(dir(builtins))
_CONFLICT = "<conflict>"
_INLINE_DEPTH = 4


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


@dataclass(eq=False)
class Scope:
    """A function (or the module): its names, nested functions and the kinds of its local names."""

    node: ast.AST
    name: str
    parent: Optional[Scope] = None  # the enclosing function scope; None for module-level functions
    cls: Optional[ClassInfo] = None
    in_main: bool = False  # defined inside ``if __name__ == "__main__":``
    params: List[str] = field(default_factory=list)
    locals: Set[str] = field(default_factory=set)
    globals: Set[str] = field(default_factory=set)
    defs: Dict[str, Scope] = field(default_factory=dict)
    lambdas: Dict[str, ast.Lambda] = field(default_factory=dict)
    kinds: Dict[str, str] = field(default_factory=dict)
    #: params used as a sent function (-> how it is sent), params started, params put on (queues)
    forwards: Dict[str, str] = field(default_factory=dict)
    param_starts: Set[str] = field(default_factory=set)
    starts: bool = False

    _nodes: Optional[List[ast.AST]] = None

    @property
    def nodes(self) -> List[ast.AST]:
        """:func:`own_nodes` of the body, computed once (every rule and pass walks them)."""
        if self._nodes is None:
            self._nodes = list(own_nodes(self.body()))
        return self._nodes

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, ast.Module)

    def body(self) -> List[ast.stmt]:
        return (
            list(self.node.body) if isinstance(self.node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
        )


@dataclass(eq=False)
class ClassInfo:
    node: ast.ClassDef
    kind: Optional[str] = None  # PROCESS or THREAD for subclasses
    methods: Dict[str, Scope] = field(default_factory=dict)
    attr_kinds: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Send:
    """A function (and its arguments) handed to another process: pickled under spawn and forkserver."""

    call: ast.Call
    func: Optional[ast.expr]  # the function expression, None for a Process subclass
    args: Tuple[ast.expr, ...]  # positional arguments that travel with it
    via: str  # "process", "pool", "executor", "initializer"
    scope: Scope
    root: Optional[Scope]  # the function that runs in the child, when it is one of this module's
    report: ast.AST  # where a finding about it is shown (the call that forwarded it, if any)
    daemon: bool = False


@dataclass(frozen=True)
class Event:
    """Something the parent does, in the order it does it (see :meth:`Module.events`)."""

    kind: str  # start, thread_start, thread_join, environ, signal, set_start_method, assign, attr_assign,
    #            logging_config, fork
    node: ast.AST
    report: ast.AST
    in_main_block: bool
    scope: Scope
    detail: str = ""
    forced: bool = False
    roots: Tuple[Scope, ...] = ()  # for "send": the functions of this module that will run in the child


class Module:
    """The model of one parsed module (see the module docstring)."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.imports: Dict[str, str] = {}
        self.module_names: Set[str] = set()  # names imported as modules (``import x``, ``import x.y as z``)
        self.classes: Dict[str, ClassInfo] = {}
        self.scopes: List[Scope] = []
        self.module = Scope(tree, "<module>")
        self.main_block: List[ast.stmt] = []
        self.explicit_methods: Optional[Set[str]] = set()  # None: some method is not a literal
        self.sends: List[Send] = []
        self.events: List[Event] = []
        self._collect_imports()
        if not self.uses_multiprocessing:
            return  # no rule applies: skip the rest
        self._build_scope(self.module, tree.body, None, False)
        for _ in range(2):  # kinds may depend on kinds computed later in the file
            for scope in [self.module, *self.scopes]:
                self._compute_kinds(scope)
        self._compute_forwards_and_starts()
        self.sends = self._collect_sends()
        self._send_roots: Dict[int, Tuple[Scope, ...]] = {}
        for send in self.sends:
            if send.root is not None:
                self._send_roots[id(send.call)] = (*self._send_roots.get(id(send.call), ()), send.root)
        self.events = self._linearize()
        self._scan_methods()

    # --- names -------------------------------------------------------------------------------------
    def _collect_imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                        self.module_names.add(alias.asname)
                    else:
                        top = alias.name.split(".")[0]
                        self.imports[top] = top
                        self.module_names.add(top)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    @property
    def uses_multiprocessing(self) -> bool:
        return any(q.startswith(("multiprocessing", "concurrent.futures")) for q in self.imports.values())

    def lookup_scope(self, name: str, scope: Scope) -> Scope:
        """The scope that binds ``name`` as seen from ``scope`` (the module if none of the functions)."""
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
        new = Scope(node, node.name, parent=parent, cls=cls, in_main=in_main)
        self.scopes.append(new)
        if cls is not None and scope.is_module:
            cls.methods[node.name] = new
        else:
            scope.defs[node.name] = new
            scope.locals.add(node.name)
        self._build_scope(new, node.body, None, in_main)

    def _add_class(self, scope: Scope, node: ast.ClassDef, in_main: bool) -> None:
        scope.locals.add(node.name)
        info = ClassInfo(node)
        for base in node.bases:
            kind = N.CONSTRUCTORS.get(self.qual(base, scope) or "")
            if isinstance(base, ast.Name) and base.id in self.classes:
                kind = self.classes[base.id].kind
            elif isinstance(base, ast.Attribute) and base.attr == "Process" and kind is None:
                kind = N.PROCESS if self.kind_of(base.value, scope) == N.CONTEXT else None
            if kind in N.SUBCLASSABLE:
                info.kind = kind
        if scope.is_module:
            self.classes[node.name] = info
        for stmt in node.body:  # methods: module-level classes only (nested classes are rare and local)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._add_function(self.module if scope.is_module else scope, stmt, info, in_main)

    # --- kinds -------------------------------------------------------------------------------------
    def kind_of(self, expr: Optional[ast.AST], scope: Scope) -> Optional[str]:
        """What ``expr`` evaluates to, as one of the kinds in :mod:`.names`, or ``list:<kind>``; None if unknown."""
        if isinstance(expr, ast.Call):
            func = expr.func
            attr = func.attr if isinstance(func, ast.Attribute) else ""
            if attr in N.CONTEXT_ATTRS and self.kind_of(func.value, scope) == N.CONTEXT:  # type: ignore[attr-defined]
                return N.CONTEXT_ATTRS[attr]
            if isinstance(func, ast.Name) and func.id in self.classes and self.lookup_scope(func.id, scope).is_module:
                return self.classes[func.id].kind
            return N.CONSTRUCTORS.get(self.qual(func, scope) or "")
        if isinstance(expr, ast.Name):
            kind = self.lookup_scope(expr.id, scope).kinds.get(expr.id)
            return None if kind == _CONFLICT else kind
        is_self = isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"
        if is_self and scope.cls is not None:
            assert isinstance(expr, ast.Attribute)
            kind = scope.cls.attr_kinds.get(expr.attr)
            return None if kind == _CONFLICT else kind
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
                    self._bind_target(scope, target, self.kind_of(value, scope) if value is not None else None)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    kind = self.kind_of(item.context_expr, scope)
                    if item.optional_vars is not None:
                        keep = kind in (N.POOL, N.EXECUTOR, N.MANAGER, N.THREAD_POOL)  # __enter__ returns self
                        self._bind_target(scope, item.optional_vars, kind if keep else None)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                outer = self.kind_of(node.iter, scope)
                inner = outer[5:] if outer and outer.startswith("list:") else None
                self._bind_target(scope, node.target, inner)

    def _bind_target(self, scope: Scope, target: ast.expr, kind: Optional[str]) -> None:
        if isinstance(target, ast.Name):
            self._bind(self.lookup_scope(target.id, scope).kinds, target.id, kind)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            if scope.cls is not None:
                self._bind(scope.cls.attr_kinds, target.attr, kind)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind_target(scope, elt, None)

    # --- functions ---------------------------------------------------------------------------------
    def resolve_function(self, expr: Optional[ast.AST], scope: Scope) -> Optional[Scope]:
        """The function of this module that ``expr`` names (a def, a method via ``self``, a partial's)."""
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
            return self.module.defs.get(expr.id)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            if expr.value.id in ("self", "cls") and scope.cls is not None:
                return scope.cls.methods.get(expr.attr)
            owner = self.classes.get(expr.value.id)
            if owner is not None and self.lookup_scope(expr.value.id, scope).is_module:
                return owner.methods.get(expr.attr)
        if isinstance(expr, ast.Call) and self.qual(expr.func, scope) == "functools.partial" and expr.args:
            return self.resolve_function(expr.args[0], scope)
        return None

    def calls(self, scope: Scope) -> Iterator[Tuple[ast.Call, Scope]]:
        """Calls in ``scope`` to functions of this module, with the function called."""
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                callee = self.resolve_function(node.func, scope)
                if callee is not None:
                    yield node, callee

    def reach(self, roots: Iterable[Scope]) -> Set[Scope]:
        """``roots`` and every function of this module they call, directly or not."""
        seen: Set[Scope] = set()
        todo = list(roots)
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            todo.extend(callee for _, callee in self.calls(s))
        return seen

    @staticmethod
    def argument(call: ast.Call, index: int, keyword: str) -> Optional[ast.expr]:
        for kw in call.keywords:
            if kw.arg == keyword:
                return kw.value
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
            return call.args[index]
        return None

    @staticmethod
    def _elements(expr: Optional[ast.expr]) -> Tuple[ast.expr, ...]:
        if isinstance(expr, (ast.Tuple, ast.List)):
            return tuple(e for e in expr.elts if not isinstance(e, ast.Starred))
        return ()

    def _direct_sends(
        self, call: ast.Call, scope: Scope
    ) -> Iterator[Tuple[Optional[ast.expr], Tuple[ast.expr, ...], str]]:
        """(function, arguments, via) for each function ``call`` hands to other processes."""
        func = call.func
        kind = self.kind_of(call, scope)
        subclass = self.local_class(func, scope)
        if kind == N.PROCESS and (subclass is None or self._method(subclass, "run") is None):
            target = self.argument(call, 1, "target") if subclass is None else self.argument(call, 99, "target")
            args = self._elements(self.argument(call, 2, "args"))
            kwargs = self.argument(call, 3, "kwargs")
            if isinstance(kwargs, ast.Dict):
                args += tuple(v for v in kwargs.values if v is not None)
            yield target, args, "process"
        elif kind in (N.POOL, N.EXECUTOR):
            index = 1 if kind == N.POOL else 2
            init = self.argument(call, index, "initializer")
            if init is not None:
                yield init, self._elements(self.argument(call, index + 1, "initargs")), "initializer"
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            if receiver == N.POOL and func.attr in N.POOL_FUNC_METHODS:
                args = self._elements(self.argument(call, 1, "args")) if func.attr in N.POOL_ARGS_METHODS else ()
                yield self.argument(call, 0, "func"), args, "pool"
            elif receiver == N.EXECUTOR and func.attr in N.EXECUTOR_FUNC_METHODS:
                rest = tuple(a for a in call.args[1:] if not isinstance(a, ast.Starred))
                yield self.argument(call, 0, "fn"), rest if func.attr == "submit" else (), "executor"

    def _forwarded_sends(self, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str]]:
        callee = self.resolve_function(call.func, scope)
        if callee is None or not callee.forwards:
            return
        offset = 1 if callee.cls is not None and isinstance(call.func, ast.Attribute) else 0
        for param, via in callee.forwards.items():
            index = callee.params.index(param) - offset
            arg = self.argument(call, index, param)
            if arg is not None:
                yield arg, via

    def _compute_forwards_and_starts(self) -> None:
        calls = {id(s): [n for n in s.nodes if isinstance(n, ast.Call)] for s in self.scopes}
        for _ in range(3):  # a wrapper of a wrapper; stop when nothing new is learnt
            before = [(len(s.forwards), s.starts, len(s.param_starts)) for s in self.scopes]
            for scope in self.scopes:
                for node in calls[id(scope)]:
                    sent = [(f, via) for f, _, via in self._direct_sends(node, scope)]
                    for f, via in [*sent, *self._forwarded_sends(node, scope)]:
                        if isinstance(f, ast.Name) and f.id in scope.params:
                            scope.forwards.setdefault(f.id, via)
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
        "call" (a function of this module that starts one), or None."""
        func = call.func
        kind = self.kind_of(call, scope)
        if kind == N.POOL:
            return "pool"
        if kind == N.MANAGER and self.qual(func, scope) != "multiprocessing.managers.SyncManager":
            return "manager"  # Manager() starts its server process at once
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            if func.attr == "start" and receiver in (N.PROCESS, N.MANAGER):
                return receiver
            if receiver == N.EXECUTOR and func.attr in N.EXECUTOR_FUNC_METHODS:
                return "executor"
        callee = self.resolve_function(func, scope)
        if callee is not None and callee is not scope:
            if callee.starts:
                return "call"
            for param in callee.param_starts:
                offset = 1 if callee.cls is not None and isinstance(func, ast.Attribute) else 0
                arg = self.argument(call, callee.params.index(param) - offset, param)
                if self.kind_of(arg, scope) == N.PROCESS:
                    return "call"
        return None

    def _collect_sends(self) -> List[Send]:
        sends: List[Send] = []
        for scope in [self.module, *self.scopes]:
            for node in scope.nodes:
                if not isinstance(node, ast.Call):
                    continue
                kw = {k.arg: k.value for k in node.keywords}
                flag = kw.get("daemon")
                daemon = isinstance(flag, ast.Constant) and flag.value is True
                for f, args, via in self._direct_sends(node, scope):
                    root = self.resolve_function(f, scope)
                    sends.append(Send(node, f, args, via, scope, root, f if f is not None else node, daemon))
                for f, via in self._forwarded_sends(node, scope):
                    sends.append(Send(node, f, (), via, scope, self.resolve_function(f, scope), f))
                info = self.local_class(node.func, scope)
                run = self._method(info, "run") if info is not None and info.kind == N.PROCESS else None
                if run is not None:
                    sends.append(Send(node, None, (), "process", scope, run, node, daemon))
        return sends

    def local_class(self, expr: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The module-level class ``expr`` names, if any."""
        if isinstance(expr, ast.Name) and expr.id in self.classes and self.lookup_scope(expr.id, scope).is_module:
            return self.classes[expr.id]
        return None

    def _method(self, info: Optional[ClassInfo], name: str) -> Optional[Scope]:
        seen: Set[str] = set()
        while info is not None and info.node.name not in seen:
            seen.add(info.node.name)
            if name in info.methods:
                return info.methods[name]
            bases = [b.id for b in info.node.bases if isinstance(b, ast.Name) and b.id in self.classes]
            info = self.classes[bases[0]] if bases else None
        return None

    @property
    def child_roots(self) -> List[Scope]:
        return [s.root for s in self.sends if s.root is not None]

    def child_side(self) -> Set[Scope]:
        """Every function of this module that may run in a child process."""
        return self.reach(self.child_roots)

    # --- the parent's path, in order ---------------------------------------------------------------
    def exclusive(self, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` and ``b`` sit in different branches of one ``if`` (never both run)."""
        if not self._branches:
            for node in ast.walk(self.tree):
                if isinstance(node, (ast.If, ast.Try)):
                    arms = (
                        [node.body, node.orelse]
                        if isinstance(node, ast.If)
                        else [node.body, *[h.body for h in node.handlers]]
                    )
                    for index, arm in enumerate(arms):
                        for stmt in arm:
                            for inner in ast.walk(stmt):
                                self._branches.setdefault(id(inner), {})[id(node)] = index
        pa, pb = self._branches.get(id(a), {}), self._branches.get(id(b), {})
        return any(pa[k] != pb[k] for k in pa.keys() & pb.keys())

    def _linearize(self) -> List[Event]:
        self._branches: Dict[int, Dict[int, int]] = {}
        events: List[Event] = []
        child = self.child_side()
        main_ids = {id(s) for s in self.main_block}
        for stmt in self.tree.body:
            if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
                for inner in stmt.body:
                    self._events_of([inner], self.module, True, None, events, [], child, {})
                self._events_of(stmt.orelse, self.module, False, None, events, [], child, {})
            else:
                self._events_of([stmt], self.module, id(stmt) in main_ids, None, events, [], child, {})
        return events

    def _events_of(
        self,
        stmts: Sequence[ast.AST],
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        stack: List[Scope],
        child: Set[Scope],
        call_keywords: Dict[Optional[str], ast.expr],
        flat: bool = False,
    ) -> None:
        def emit(
            kind: str, node: ast.AST, detail: str = "", forced: bool = False, roots: Tuple[Scope, ...] = ()
        ) -> None:
            out.append(Event(kind, node, report or node, in_main, scope, detail, forced, roots))

        for node in stmts if flat else own_nodes(stmts):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._assign_events(target, scope, emit)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and scope.is_module:
                for alias in node.names:
                    emit("import", node, (alias.asname or alias.name).split(".")[0])
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and self.qual(target.value, scope) == "os.environ":
                        emit("environ", node)
            elif isinstance(node, ast.Call):
                if id(node) in self._send_roots:
                    emit("send", node, roots=self._send_roots[id(node)])
                self._call_events(node, scope, emit, call_keywords)
                callee = self.resolve_function(node.func, scope)
                if callee is not None and callee not in stack and callee not in child and len(stack) < _INLINE_DEPTH:
                    kws = {k.arg: k.value for k in node.keywords}
                    inner = [*stack, callee]
                    self._events_of(callee.nodes, callee, in_main, report or node, out, inner, child, kws, flat=True)

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
                emit("environ", target)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            emit("attr_assign", target, target.value.id)

    def _call_events(
        self, node: ast.Call, scope: Scope, emit: object, call_keywords: Dict[Optional[str], ast.expr]
    ) -> None:
        assert callable(emit)
        func = node.func
        q = self.qual(func, scope) or ""
        started = self.start_kind(node, scope)
        if started:
            emit("start", node, started)
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value, scope)
            key = ast.dump(func.value)
            if receiver == N.THREAD and func.attr == "start":
                emit("thread_start", node, key)
            elif receiver == N.THREAD and func.attr in ("join", "stop"):
                emit("thread_join", node, key)
            if func.attr in N.ENVIRON_METHODS and self.qual(func.value, scope) == "os.environ":
                emit("environ", node)
        if q in N.ENVIRON_FUNCS:
            emit("environ", node)
        elif q in N.FORK_FUNCS:
            emit("fork", node)
        elif q == "signal.signal" and len(node.args) >= 2:
            handler = node.args[1]
            hq = self.qual(handler, scope) or ""
            if not (hq in N.SIGNAL_DEFAULTS or hq.startswith("signal.Handlers") or isinstance(handler, ast.Constant)):
                emit("signal", node)
        elif q in N.SET_START_METHOD or (
            isinstance(func, ast.Attribute)
            and func.attr == "set_start_method"
            and self.kind_of(func.value, scope) == N.CONTEXT
        ):
            force = self.argument(node, 1, "force")
            forced = isinstance(force, ast.Constant) and bool(force.value)
            if force is None and any(k.arg is None for k in node.keywords):  # **kwargs: the caller's keywords
                f = call_keywords.get("force")
                forced = isinstance(f, ast.Constant) and bool(f.value)
            elif isinstance(force, ast.Name) and force.id in call_keywords:
                f = call_keywords[force.id]
                forced = isinstance(f, ast.Constant) and bool(f.value)
            elif force is not None and not isinstance(force, ast.Constant):
                forced = True  # not a literal: cannot tell, so do not claim it is missing
            emit("set_start_method", node, forced=forced)
        elif q in N.LOGGING_CONFIG:
            emit("logging_config", node)

    def _scan_methods(self) -> None:
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
                        self.explicit_methods = None
                        return
                elif q.startswith("multiprocessing") and N.CONSTRUCTORS.get(q) in (N.PROCESS, N.POOL, N.MANAGER):
                    uses_default = True
                elif N.CONSTRUCTORS.get(q) == N.EXECUTOR:
                    uses_default = uses_default or self.argument(node, 2, "mp_context") is None
        self.explicit_methods = found if found and (has_set or not uses_default) else None

    def may_use(self, methods: Iterable[str]) -> bool:
        """Whether the module may start children with one of ``methods`` (True unless every method it
        names is a literal and none of them is in ``methods``)."""
        return self.explicit_methods is None or bool(self.explicit_methods & set(methods))

    # --- helpers for rules -------------------------------------------------------------------------
    def global_reads(self, scope: Scope) -> Dict[str, ast.Name]:
        """Module-level names that ``scope`` reads (first read of each)."""
        reads: Dict[str, ast.Name] = {}
        for node in scope.nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in reads:
                reads.update({node.id: node} if self.lookup_scope(node.id, scope).is_module else {})
        return reads
