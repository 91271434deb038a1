"""A module's model, part five: what the parent does, in order, along each entry path
(:attr:`~Paths.paths`): the script (top-level code and main block), each console-script entry point,
each test (after its ``setUp``) and each thread target, with the program's functions they call inlined.

A mixin of :class:`~.model.ModuleModel`; it asks the other parts through :class:`~.parts.Module`.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

from . import names as N
from .parts import (
    INLINE_DEPTH,
    EntryPath,
    EntryPoint,
    Event,
    Module,
    Scope,
    import_time_statements,
    is_main_guard,
    is_test_file,
    literal,
    run_order,
    start_of,
)

_SETUPS = ("setUp", "setup_method", "asyncSetUp")


#: the libraries whose process Pool runs threads of its own in the parent (mpcheck.methods' packages)
_POOLS_WITH_THREADS = frozenset({"multiprocessing", "multiprocess", "billiard", "torch.multiprocessing"})


class Paths:
    #: what this part caches on the model (:class:`~.model.ModuleModel` starts it empty)
    _paths: Optional[List[EntryPath]]
    _branches: Optional[Dict[int, List[Tuple[ast.stmt, int]]]]
    _child_not_inlined: Optional[Set[Scope]]

    def enclosing(self: Module, node: ast.AST) -> List[Tuple[ast.stmt, int]]:
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

    def exclusive(self: Module, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` and ``b`` sit in different branches of one ``if`` or ``try`` (never both run)."""
        arms_a = {id(stmt): arm for stmt, arm in self.enclosing(a) if not isinstance(stmt, ast.While)}
        return any(arms_a.get(id(stmt), arm) != arm for stmt, arm in self.enclosing(b))

    @property
    def entry_points(self: Module) -> List[EntryPoint]:
        """The console scripts of the project's metadata that name a function of this module."""
        return [ep for ep in self.program.entry_points if self.program.entry_module(ep, self.file) is self.file]

    @property
    def events(self: Module) -> List[Event]:
        """The script path: the module's top-level code and its main block."""
        return self.paths[0].events

    @property
    def paths(self: Module) -> List[EntryPath]:
        if self._paths is None:
            self._paths = self._build_paths()
        return self._paths

    def _build_paths(self: Module) -> List[EntryPath]:
        _ = self.sends
        events: List[Event] = []
        for stmt in self.tree.body:
            if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
                self._walk_stmts(stmt.body, self.module, True, None, events, 0)
                self._walk_stmts(stmt.orelse, self.module, False, None, events, 0)
            else:
                self._walk_stmts([stmt], self.module, False, None, events, 0)
        paths = [_path("script", self.path, events)]
        import_time = [e for e in events if not e.in_main_block]
        for ep in self.entry_points:
            root = self.member(ep.function.split("."))
            if isinstance(root, Scope):
                body: List[Event] = list(import_time)
                self._walk_stmts(root.body(), root, True, None, body, 0)
                paths.append(_path("console", f"{ep.script} = {ep.module}:{ep.function}", body, root))
        if is_test_file(self.file.path):
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
                paths.append(_path("test", root.qualname, body, root))
        for where, root in self.thread_sends():  # the target may be another module's: walked by its own model
            body = []
            _ = root.model.sends
            root.model._walk_stmts(root.body(), root, True, None, body, 0)
            paths.append(_path("thread", root.qualname, body, root, where))
        return paths

    def class_body_starts(self: Module) -> List[Event]:
        """The starts in the bodies of the classes the module's import defines (nested ones too): a class body
        runs when its ``class`` statement does (pytest-concurrent's ``MANAGER = multiprocessing.Manager()`` in a
        class body starts a manager on every import). Names are read as the module's, as a class body reads
        them where it binds none."""
        out: List[Event] = []
        todo = [stmt for stmt in import_time_statements(self.tree) if isinstance(stmt, ast.ClassDef)]
        while todo:
            cls = todo.pop(0)
            events: List[Event] = []
            self._walk_stmts(cls.body, self.module, False, None, events, 0)
            out += [e for e in events if e.kind == "start"]
            todo += [stmt for stmt in cls.body if isinstance(stmt, ast.ClassDef)]
        return out

    def _acts(self: Module, test: Scope) -> bool:
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

    def _tests(self: Module) -> Iterator[Scope]:
        for name, scope in self.module.defs.items():
            if name.startswith("test"):
                yield scope
        for info in self.classes.values():
            if info.name.startswith("Test") or info.is_testcase:
                for name, scope in info.methods.items():
                    if name.startswith("test"):
                        yield scope

    def aliases(self: Module, scope: Scope) -> Dict[str, str]:
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

    def _key(self: Module, expr: ast.expr, scope: Scope) -> str:
        if isinstance(expr, ast.Name):
            alias = self.aliases(scope).get(expr.id)
            if alias:
                return alias
        return ast.unparse(expr)

    def _walk_stmts(
        self: Module,
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
                    if kind == N.THREAD_POOL or self._pool_with_threads(item.context_expr, scope):
                        if kind != N.THREAD_POOL or self._starts_threads_at_once(item.context_expr, scope):
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
                for held in exits:  # leaving the block shuts the pool down (terminate()): its threads end
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

    def _generator_manager(self: Module, expr: ast.expr, scope: Scope, depth: int) -> Optional[Scope]:
        """The program's ``@contextmanager`` generator a ``with`` item calls (to be inlined), else None."""
        if not isinstance(expr, ast.Call) or depth >= INLINE_DEPTH:
            return None
        callee = self.resolve_function(expr.func, scope)
        if callee is None or callee in self.child_side_of_callee(callee):
            return None
        home = callee.parent or callee.model.module
        if not any(callee.model.qual(d, home) in N.CONTEXT_MANAGERS for d in callee.decorators()):
            return None
        return callee if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in callee.nodes) else None

    def _split_at_yield(
        self: Module, call: ast.Call, manager: Scope, scope: Scope, in_main: bool, report: Optional[ast.AST], depth: int
    ) -> Tuple[List[Event], List[Event]]:
        """The events of a ``@contextmanager`` generator's body: those before its (last) ``yield``, which run
        when the ``with`` block is entered, and those after it, which run when the block ends (a thread it
        starts before the yield runs during the block: Cython's time-stamper around an executor's submits)."""
        before: List[Event] = []
        self._walk_nodes([*call.args, *(k.value for k in call.keywords)], scope, in_main, report, before, depth)
        after: List[Event] = []
        last = max(start_of(n) for n in manager.nodes if isinstance(n, (ast.Yield, ast.YieldFrom)))
        for e in manager.model.inlined(manager, depth + 1):
            forced = e.forced if e.force_param is None else _force_from(call, e.force_param)
            guarded = e.guarded or manager.model.conditional(e.report, manager)
            moved = Event(
                e.kind, e.node, report or call, in_main, e.scope, e.detail, forced, e.roots,
                guarded=guarded, through=e.through, calls=((call, scope), *e.calls),
            )  # fmt: skip
            (before if start_of(e.report) < last else after).append(moved)
        return before, after

    def _restored_handler(self: Module, handler: ast.expr, scope: Scope) -> bool:
        """Whether ``handler`` is the one that was there before: a name bound to what ``signal.signal()`` or
        ``signal.getsignal()`` returned (``original = signal.signal(SIGINT, SIG_IGN)`` ... ``signal.signal(SIGINT,
        original)``, osrframework's pool made with SIGINT ignored): putting it back installs nothing new."""
        value = self.bound_value(handler, scope) if isinstance(handler, ast.Name) else None
        return isinstance(value, ast.Call) and self.qual(value.func, scope) in ("signal.signal", "signal.getsignal")

    def _pool_with_threads(self: Module, expr: ast.expr, scope: Scope) -> bool:
        """Whether ``expr`` makes a process Pool of multiprocessing's own (or a copy's: multiprocess, billiard,
        torch's): from its making until it is terminated, or closed and joined, three threads of it run in
        the parent (they hand out tasks, collect results, replace workers)."""
        if not isinstance(expr, ast.Call):
            return False
        kind = self.kind_of(expr, scope)
        return kind == N.POOL and getattr(kind, "lib", "multiprocessing") in _POOLS_WITH_THREADS

    def _starts_threads_at_once(self: Module, expr: ast.expr, scope: Scope) -> bool:
        q = self.qual(expr.func, scope) if isinstance(expr, ast.Call) else None
        return bool(q) and "ThreadPoolExecutor" not in (q or "") and "pebble" not in (q or "")

    def _walk_nodes(
        self: Module,
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

        # a pool's threads run once the call that makes it has returned: after what that call does (a factory's
        # body, inlined: ``pool = get_pool(2)`` whose ``return Pool(n)`` is the pool's own making, no other start)
        made: Dict[int, str] = {}
        for node in run_order(nodes):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._decorator_events(node, scope, in_main, report, out, depth)
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._assign_events(target, scope, emit)
                value = node.value
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(value, ast.Call)
                    and len(node.targets) == 1
                    and (
                        (self.kind_of(value, scope) == N.THREAD_POOL and self._starts_threads_at_once(value, scope))
                        or self._pool_with_threads(value, scope)
                    )
                ):
                    made[id(value)] = self._key(node.targets[0], scope)
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
                callee = self.callee(node, scope)
                through = callee is None
                if through:
                    callee = self._object_method(node, scope)
                inline = callee is not None and depth < INLINE_DEPTH and callee not in self.child_side_of_callee(callee)
                if inline and callee is not None:
                    callee.model.ensure_kinds()
                # a call to a function that starts a child is a start of its own only where its body is not
                # inlined: inlined, its starts come in their place (after what it does first: os.environ set);
                # one that starts the Process it is handed still is (its body cannot tell what it starts)
                own_starts = inline and not through and callee is not None and callee.starts
                self._call_events(node, scope, emit, calls_start=not own_starts)
                if inline:
                    assert callee is not None
                    for e in callee.model.inlined(callee, depth + 1):
                        forced = e.forced
                        if e.force_param is not None:
                            forced = _force_from(node, e.force_param)
                        guarded = e.guarded or callee.model.conditional(e.report, callee)
                        if through and not _through_object(e, guarded):
                            continue
                        out.append(
                            Event(
                                e.kind, e.node, report or node, in_main, e.scope, e.detail, forced, e.roots,
                                guarded=guarded, through=through or e.through, calls=((node, scope), *e.calls),
                            )
                        )  # fmt: skip
                if id(node) in made:
                    emit("thread_start", node, made.pop(id(node)))

    def _decorator_events(
        self: Module,
        node: ast.AST,
        scope: Scope,
        in_main: bool,
        report: Optional[ast.AST],
        out: List[Event],
        depth: int,
    ) -> None:
        """What a decorator of the program (``@task``, a plain name: applied by a call the syntax does not
        show) does to a module-level table when the definition runs: a registry filled at import time, or
        only in the main block. Only those events: what else a decorator does is left as it was."""
        if depth >= INLINE_DEPTH:
            return
        for decorator in getattr(node, "decorator_list", []):
            if not isinstance(decorator, (ast.Name, ast.Attribute)):
                continue
            callee = self.resolve_function(decorator, scope)
            if callee is None or callee.cls is not None or callee in self.child_side_of_callee(callee):
                continue
            for e in callee.model.inlined(callee, depth + 1):
                if e.kind == "mutate" and not e.through:
                    at = report or decorator
                    out.append(
                        Event(
                            e.kind,
                            e.node,
                            at,
                            in_main,
                            e.scope,
                            e.detail,
                            guarded=e.guarded,
                            calls=((decorator, scope), *e.calls),
                        )
                    )

    def logger_key(self: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
        """Which module-level logger of the standard library ``expr`` is: a module-level name bound to
        ``logging.getLogger(...)`` (its name), the root logger (``logging.getLogger()``, ``logging.root``:
        ``<root>``); else None."""
        if isinstance(expr, ast.Name) and expr.id in self.loggers and self.lookup_scope(expr.id, scope).is_module:
            return expr.id
        if isinstance(expr, ast.Call) and self.qual(expr.func, scope) == "logging.getLogger" and not expr.args:
            return "<root>" if not expr.keywords else None
        return "<root>" if self.qual(expr, scope) == "logging.root" else None

    def _object_method(self: Module, call: ast.Call, scope: Scope) -> Optional[Scope]:
        """The method of the program's class that ``Runner().run()`` or ``runner.run()`` (after
        ``runner = Runner()``) calls, for MP112's view of the path (:func:`_through_object`)."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        if isinstance(func.value, ast.Call):
            info = self.resolve_class(func.value.func, scope)
            return info.method(func.attr) if info is not None else None
        found = self.resolve_function(func, scope, instances=True)
        return found if found is not None and found.cls is not None else None

    def conditional(self: Module, node: ast.AST, scope: Scope) -> bool:
        """Whether ``node`` runs in ``scope`` only when a test says so (an ``if``, a ``while``, an ``except``)."""
        own = {id(n) for n in scope.nodes}
        return any(id(stmt) in own and (not isinstance(stmt, ast.Try) or arm > 0) for stmt, arm in self.enclosing(node))

    def child_side_of_callee(self: Module, callee: Scope) -> Set[Scope]:
        """Functions that run in a child are not inlined into the parent's path (their effects are the child's),
        but for a pool's initializer (and what only it calls): one the parent calls itself runs in the parent
        too (``Settings.configure(3)`` in the main block, and the same classmethod as a Pool's initializer)."""
        if callee.model is not self:
            return set()
        if self._child_not_inlined is None:
            roots = [s.root for s in self.sends if s.root is not None and s.via != "initializer"]
            self._child_not_inlined = self.reach(roots)
        return self._child_not_inlined

    def inlined(self: Module, callee: Scope, depth: int) -> List[Event]:
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

    def _assign_events(self: Module, target: ast.expr, scope: Scope, emit: object) -> None:
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
            elif isinstance(target.value, ast.Name) and self.lookup_scope(target.value.id, scope).is_module:
                emit("mutate", target, target.value.id)  # ``TABLE[key] = value``: a module-level table changed
            elif isinstance(target.value, ast.Attribute) and isinstance(target.value.value, ast.Name):
                emit("attr_mutate", target, f"{target.value.value.id}.{target.value.attr}")  # ``cls.table[k] = v``
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            emit("attr_assign", target, target.value.id)

    def _call_events(self: Module, node: ast.Call, scope: Scope, emit: object, calls_start: bool = True) -> None:
        assert callable(emit)
        func = node.func
        q = self.qual(func, scope) or ""
        started = self.start_kind(node, scope)
        if started and (calls_start or started != "call"):
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
            elif receiver == N.POOL and func.attr in ("join", "terminate"):
                emit("thread_join", node, key)  # join() follows close(): the pool's threads have ended
            elif receiver == N.THREAD_POOL and func.attr in ("shutdown", "join", "terminate"):
                wait = self.argument(node, 0, "wait")
                if not (func.attr == "shutdown" and isinstance(wait, ast.Constant) and wait.value is False):
                    emit("thread_join", node, key)
            if func.attr in N.ENVIRON_METHODS and self.qual(func.value, scope) == "os.environ":
                emit("environ", node, literal(node.args[0]) if node.args and func.attr != "update" else "")
            if (
                func.attr in N.TABLE_FILLERS and isinstance(func.value, ast.Name)
                and self.lookup_scope(func.value.id, scope).is_module
            ):  # fmt: skip
                emit("mutate", node, func.value.id)  # ``TABLE.append(...)``: a module-level table changed in place
            elif (
                func.attr in N.TABLE_FILLERS and isinstance(func.value, ast.Attribute)
                and isinstance(func.value.value, ast.Name)
            ):  # fmt: skip
                emit("attr_mutate", node, f"{func.value.value.id}.{func.value.attr}")  # ``Registry.table.update()``
            if func.attr in ("parse_args", "parse_known_args"):
                # ``parser.parse_args(values=FLAGS)`` (optparse), ``namespace=ARGS`` (argparse): the parser sets the
                # attributes of a module-level object (mytools' iibench.py)
                for keyword in node.keywords:
                    filled = keyword.value
                    if (
                        keyword.arg in ("values", "namespace") and isinstance(filled, ast.Name)
                        and self.lookup_scope(filled.id, scope).is_module
                    ):  # fmt: skip
                        emit("fill", node, filled.id)
        if q in N.ENVIRON_FUNCS:
            emit("environ", node, literal(node.args[0]) if node.args else "")
        elif q in N.FORK_FUNCS:
            emit("fork", node)
        elif q == "signal.signal" and len(node.args) >= 2:
            handler = node.args[1]
            hq = self.qual(handler, scope) or ""
            if hq == "signal.SIG_IGN":
                emit("signal_ignore", node, ast.dump(node.args[0]))  # the kernel reaps (SIGCHLD: MP122)
            elif not (
                hq in N.SIGNAL_DEFAULTS
                or hq.startswith("signal.Handlers")
                or isinstance(handler, ast.Constant)
                or self._restored_handler(handler, scope)
            ):
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
        if q == "loguru.logger.add":
            emit("log_sink", node, "loguru")  # a sink added to loguru's module-level logger
        elif isinstance(func, ast.Attribute) and func.attr in ("addHandler", "setLevel"):
            logger = self.logger_key(func.value, scope)
            if logger is not None:
                emit("log_sink" if func.attr == "addHandler" else "log_level", node, logger)


def _path(
    kind: str,
    name: str,
    events: List[Event],
    root: Optional[Scope] = None,
    thread_start: Optional[ast.AST] = None,
) -> EntryPath:
    return EntryPath(kind, name, [e for e in events if not e.through], root, thread_start, events)


def _through_object(event: Event, guarded: bool) -> bool:
    """What a path takes from a method of an object (``Runner().run()``): the threads it starts, the children
    it starts and the functions it hands them every time it runs, and every join (a library's object often
    starts children only as its configuration says at run time: luigi's worker forks only with several
    processes). MP112 reads the starts and threads, MP103 the starts and sends, MP107 the signal handlers it
    installs before its starts (websockify's server installs its SIGTERM handler in a method, then starts a
    Process per client)."""
    if event.kind == "thread_join":
        return True
    return event.kind in ("thread_start", "start", "send", "signal", "signal_ignore") and not guarded


def _force_from(call: ast.Call, param: str) -> bool:
    keywords = {k.arg: k.value for k in call.keywords}
    value = keywords.get("force") if param == "**" else keywords.get(param)
    if param != "**" and value is None:
        return True  # the parameter's value is not a literal here: cannot tell
    return isinstance(value, ast.Constant) and bool(value.value)
