"""A module's model, part three: which start method each context, process, pool or start uses
(:meth:`~StartMethods.start_method`, :meth:`~StartMethods.may_fork`, :meth:`~StartMethods.pinned_method`,
the method a child's tasks go to: :meth:`~StartMethods.send_method`, the one a child's own default
inherits: :meth:`~StartMethods.inherited_method`), and which methods the module may use at all
(:meth:`~StartMethods.may_use`).

A mixin of :class:`~.model.ModuleModel`; it asks the other parts through :class:`~.parts.Module`.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Set, Tuple

from ..methods import METHODS, fallback_methods
from . import names as N
from .parts import (
    DEFAULT,
    INLINE_DEPTH,
    ClassInfo,
    Module,
    Scope,
    Send,
    is_self,
    is_test_file,
)
from .program import SourceFile

#: Process classes pinned to one start method
_PINNED_PROCESSES = {
    "multiprocessing.context.SpawnProcess": "spawn",
    "multiprocessing.context.ForkProcess": "fork",
    "multiprocessing.context.ForkServerProcess": "forkserver",
}


class StartMethods:
    #: what this part caches on the model (:class:`~.model.ModuleModel` starts it empty)
    _explicit: Optional[Tuple[Optional[Set[str]]]]

    def context_method(self: Module, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]:
        """The start method of the context ``expr`` is: a literal (``get_context("fork")``, a name, an attribute
        of ``self`` or another module's name bound to one, a constant naming the method, a function of the
        program that returns one), :data:`DEFAULT` for the default context (``get_context()``), else None."""
        if expr is None or depth > 4:
            return None
        if isinstance(expr, ast.Attribute) and scope.cls is not None and scope.params and is_self(expr, scope):
            found = {where.model.context_method(v, where, depth + 1) for where, v in scope.cls.stored(expr.attr)}
            return found.pop() if len(found) == 1 else None
        value = self.bound_value(expr, scope) if isinstance(expr, ast.Name) else expr
        if value is None and isinstance(expr, ast.Name):
            values = self._values_of(expr.id, scope)
            if len(values) > 1:  # bound several times (one per platform, say): when all agree
                binder = self.lookup_scope(expr.id, scope)
                found = {self.context_method(v, binder, depth + 1) for v in values}
                return found.pop() if len(found) == 1 else None
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

    def _class_method(self: Module, info: ClassInfo, depth: int) -> Optional[str]:
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

    def start_method(self: Module, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
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
        if isinstance(call, ast.Attribute) and scope.cls is not None and scope.params and is_self(call, scope):
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
        for key in N.CONTEXT_KEYWORDS:
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
            named = self._context_tried(call, scope)
            if named is not None:  # where that method is missing, the default is another: Windows' spawn
                fallback = fallback_methods(named)
                return fallback[0] if len(fallback) == 1 else None  # () for spawn: this arm never runs
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

    def _context_tried(self: Module, made: ast.Call, scope: Scope) -> Optional[str]:
        """The method named by ``get_context("...")`` in the body of a ``try`` that ``made`` (a default-context
        object) is the ``except`` fallback of, when that body only gets the context and makes objects of it
        (warmpool's ``get_context("spawn").Process(...)``, with a plain ``Process(...)`` under ``except
        RuntimeError:``): the fallback runs only where that method does not exist. None for any other ``try``:
        one whose body starts or sends may fail anywhere (a pickling error under spawn)."""
        for stmt, arm in self.enclosing(made):
            if not isinstance(stmt, ast.Try) or arm == 0:
                continue
            named: Set[str] = set()
            for node in (n for part in stmt.body for n in ast.walk(part) if isinstance(n, ast.Call)):
                q = self.qual(node.func, scope) or ""
                arg = self.argument(node, 0, "method") if q in N.GET_CONTEXT else None
                if isinstance(arg, ast.Constant) and arg.value in METHODS:
                    named.add(arg.value)
                elif not (isinstance(node.func, ast.Attribute) and node.func.attr == "Process"):
                    return None  # something else that may raise: a start, a pickling send
            return named.pop() if len(named) == 1 else None
        return None

    def _values_of(self: Module, name: str, scope: Scope) -> List[ast.expr]:
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

    def _elements_of(self: Module, expr: ast.expr, scope: Scope) -> List[ast.expr]:
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

    def _maker_method(self: Module, made: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
        """The start method a literal names for the object ``made`` (see :meth:`start_method`), else None."""
        method = self.start_method(made, scope, depth)
        return None if method == DEFAULT else method

    def may_fork(self: Module, node: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """Whether a start (``p.start()``, a pool made, a call to the program's function that starts one)
        may fork: made by the default context or one pinned to fork. A context whose method cannot be read
        is not claimed to fork (unresolved means silent); a function of the program forks when any start
        it makes (a few calls deep) may fork."""
        if not isinstance(node, ast.Call):
            return True
        if depth > INLINE_DEPTH:
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

    def pinned_method(self: Module, node: ast.AST, scope: Scope, depth: int = 0) -> Optional[str]:
        """The one start method literals name for every start ``node`` makes (``p.start()``, a pool made, a
        call to the program's function that starts children, a few calls deep); None where one of them uses
        the default context or a context that cannot be read, where they differ, or where the function starts
        what it is handed (the dual of :meth:`may_fork`: unresolved is None)."""
        if not isinstance(node, ast.Call) or depth > INLINE_DEPTH:
            return None
        func = node.func
        made: Optional[ast.expr] = None
        if isinstance(func, ast.Attribute) and self.kind_of(func.value, scope) in (
            N.PROCESS,
            N.MANAGER,
            N.POOL,
            N.EXECUTOR,
        ):
            made = func.value
        elif (
            self.kind_of(node, scope) in (N.POOL, N.MANAGER, N.EXECUTOR)
            or (self.qual(func, scope) or "") in N.SPAWN_FUNCS
        ):
            made = node
        if made is not None:
            method = self.start_method(made, scope)
            return None if method == DEFAULT else method
        callee = self.capable_callee(func, scope)
        if callee is None or callee is scope or callee.param_starts:
            return None
        model = callee.model
        model.ensure_kinds()
        found = {
            model.pinned_method(inner, callee, depth + 1)
            for inner in callee.nodes
            if isinstance(inner, ast.Call) and model.start_kind(inner, callee)
        }
        return found.pop() if len(found) == 1 else None

    def send_method(self: Module, send: Send) -> Optional[str]:
        """The start method a literal names for the child ``send`` goes to: its own (a context's Process, mpire's),
        the Pool or executor its tasks go to (``get_context("fork").Pool()``, through its with-block or binding)."""
        if send.method is not None:
            return send.method
        made: Optional[ast.expr] = send.call
        if send.via in ("pool", "executor"):
            func = send.call.func
            made = self.pool_maker(func.value, send.call, send.scope) if isinstance(func, ast.Attribute) else None
        return self.start_method(made, send.scope) if made is not None else None

    def pool_maker(self: Module, expr: ast.expr, at: ast.AST, scope: Scope) -> Optional[ast.Call]:
        """The call that made the pool ``expr`` names at ``at``: ``Pool(...).map``, the innermost ``with Pool(...)
        as pool:`` around ``at``, or the one value the name is bound to in its scope."""
        if isinstance(expr, ast.Call):
            return expr
        if not isinstance(expr, ast.Name):
            return None
        line = int(getattr(at, "lineno", 1))
        withs = [
            n for n in scope.nodes
            if isinstance(n, (ast.With, ast.AsyncWith)) and n.lineno <= line <= (getattr(n, "end_lineno", None) or 0)
            and any(isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == expr.id for i in n.items)
        ]  # fmt: skip
        if withs:
            inner = max(withs, key=lambda n: n.lineno)
            item = next(
                i for i in inner.items if isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == expr.id
            )
            return item.context_expr if isinstance(item.context_expr, ast.Call) else None
        value = self.bound_value(expr, scope)
        return value if isinstance(value, ast.Call) else None

    def inherited_method(self: Module, scope: Scope) -> Optional[str]:
        """The start method the default context has where ``scope`` runs, when it runs only as the target of
        children that one method starts: a child's ``_bootstrap()`` forces its default to the method that started
        it (mara-pipelines' ``run()``, local to a function and started only by ``get_context("fork").Process``,
        makes default-context Processes: they fork). Only a function its file names nowhere but as those children's
        target; None otherwise."""
        if scope.parent is None and not isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        starts = [s for s in self.sends if s.root is scope and s.via == "process"]
        methods = {self.send_method(s) for s in starts}
        if not starts or len(methods) != 1 or None in methods or DEFAULT in methods:
            return None
        targets = {id(s.func) for s in starts}
        home = scope.parent if scope.parent is not None else self.module
        for node in ast.walk(home.node):
            if isinstance(node, ast.Name) and node.id == scope.name and id(node) not in targets:
                return None  # named elsewhere: called, bound again, handed on
        return methods.pop()

    def _scan_methods(self: Module) -> Optional[Set[str]]:
        """The start methods the module names as literals; None when one is not a literal or the default
        context is used without ``set_start_method`` (then any method may run, depending on the platform)."""
        found: Set[str] = set()
        uses_default = has_set = False
        for scope in [self.module, *self.scopes]:
            for node in scope.nodes:
                if not isinstance(node, ast.Call):
                    continue
                q = self.qual(node.func, scope) or ""
                if q in N.SET_START_METHOD:
                    continue  # below (_set_methods)
                if q in N.GET_CONTEXT:
                    arg = self.argument(node, 0, "method")
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
                    elif arg is None:
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
        for method in _set_methods([self.module, *self.scopes]):
            if method is None:
                return None
            found.add(method)
            has_set = True
        if uses_default and not has_set and is_test_file(self.file.path):
            pinned = self._pinned_by_conftest()
            if pinned:  # a conftest.py pins the default context before any test runs
                found |= pinned
                has_set = True
        if uses_default and not has_set:
            pinned = self._pinned_by_entry_points()
            if pinned:  # the console script whose code runs this module's pins the default context
                found |= pinned
                has_set = True
        if uses_default and not has_set:
            pinned = self._pinned_by_imports()
            if pinned:  # a module of the tree it imports pins the default context when it is imported
                found |= pinned
                has_set = True
        return found if found and (has_set or not uses_default) else None

    def _pinned_by_imports(self: Module) -> Set[str]:
        """The start methods that the modules of the tree this module imports pin with ``set_start_method()`` in
        their own top-level code, as they are imported (easy-multiprocess calls ``set_start_method('fork')`` when
        imported: its users' pools fork); empty when none does or one is not a literal."""
        found: Set[str] = set()
        imported, todo = [], [(self.file, 0)]
        while todo:  # what importing it imports in turn (a package's ``__init__`` importing its module), 3 deep
            file, depth = todo.pop()
            for target in self.program.imports_of(file):
                if target is not self.file and target not in imported:
                    imported.append(target)
                    if depth < 2:
                        todo.append((target, depth + 1))
        for target in imported:
            if not target.facts[2]:
                continue  # its text never names set_start_method
            model = self.program.model(target, self.file)
            if model is None:
                continue
            for method in _set_methods([model.module]):
                if method is None:
                    return set()
                found.add(method)
        return found

    def _pinned_by_conftest(self: Module) -> Set[str]:
        """The start methods the conftest.py files above this test module pin with ``set_start_method()``
        (at import, in ``pytest_configure`` or a fixture); empty when none does or one is not a literal."""
        found: Set[str] = set()
        here = self.file.path.absolute().parent
        for folder in [here, *here.parents][:6]:
            conf = self.program.by_path.get(folder / "conftest.py")
            model = self.program.model(conf, self.file) if conf is not None and conf is not self.file else None
            if model is None:
                continue
            for method in _set_methods([model.module, *model.scopes]):
                if method is None:
                    return set()
                found.add(method)
        return found

    def _pinned_by_entry_points(self: Module) -> Set[str]:
        """The start methods the console-script entry points of this module's project that reach it pin with
        ``set_start_method()`` (in the entry function or a function of the program it calls, as a conftest.py
        does for tests); empty when none does or one is not a literal."""
        found: Set[str] = set()
        here = self.file.path.absolute().parents
        for ep in self.program.entry_points:
            home = Path(ep.source).absolute().parent
            if home not in here:
                continue  # another project's console script
            file = self.program.entry_module(ep, self.file)
            model = self.program.model(file, self.file) if file is not None else None
            root = model.member(ep.function.split(".")) if model is not None else None
            if not isinstance(root, Scope):
                continue
            key = f"{ep.module}:{ep.function}"
            if key not in root.model._entry_pins:
                root.model._entry_pins[key] = _entry_pins(root, home, self.program.files)
            models, methods = root.model._entry_pins[key]
            if self not in models:
                continue
            if methods is None:
                return set()
            found |= methods
        return found

    @property
    def explicit_methods(self: Module) -> Optional[Set[str]]:
        if self._explicit is None:
            self.ensure_kinds()
            self._explicit = (self._scan_methods(),)
        return self._explicit[0]

    def may_use(self: Module, methods: Iterable[str]) -> bool:
        """Whether the module may start children with one of ``methods`` (True unless every method it
        names is a literal and none of them is in ``methods``)."""
        explicit = self.explicit_methods
        return explicit is None or bool(explicit & set(methods))


def _set_methods(scopes: Iterable[Scope]) -> Iterator[Optional[str]]:
    """The start method each ``set_start_method()`` call in ``scopes`` pins: a literal, or a module-level name
    bound once to one (:meth:`constant`); None where it is neither. A reset, ``set_start_method(None,
    force=True)``, is left out: the default context goes back to the platform's default method, which the rules
    take as any method; it pins none, and leaves the pins around it as they were (trytond's, after a pin)."""
    for scope in scopes:
        model = scope.model
        for node in scope.nodes:
            if isinstance(node, ast.Call) and (model.qual(node.func, scope) or "") in N.SET_START_METHOD:
                arg = model.argument(node, 0, "method")
                if not (isinstance(arg, ast.Constant) and arg.value is None):
                    yield model.constant(arg, scope)


def _entry_pins(root: Scope, home: Path, files: Iterable[SourceFile]) -> Tuple[Set[Module], Optional[Set[str]]]:
    """The models an entry function reaches (the models themselves, not their ids: a project's models may
    be let go, and an id used again), and the start methods ``set_start_method()`` pins there (None when
    one is not a literal); nothing is walked when no file of its project names it."""
    if not any(home in f.path.absolute().parents for f in files if f.facts[2]):
        return set(), set()
    reached = root.model.reach([root])
    methods: Optional[Set[str]] = set()
    for method in _set_methods(reached):
        if method is None or methods is None:
            methods = None
        else:
            methods.add(method)
    return {scope.model for scope in reached}, methods
