"""A module's model, part two: what a name or an expression is (:meth:`~Kinds.kind_of`): a Process, a
Pool, a Queue... through the imports, contexts, subclasses, lists, ``with`` names, ``self`` attributes,
class attributes, what a function of the program returns and plain pytest fixtures; and which function
of the program a name or a call is (:meth:`~Kinds.resolve_function`, :meth:`~Kinds.callee`).

A mixin of :class:`~.model.ModuleModel`; it asks the other parts through :class:`~.parts.Module`.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

from . import names as N
from .parts import (
    CONFLICT,
    ClassInfo,
    Module,
    Pos,
    Scope,
    argument,
    elements,
    end_of,
    start_of,
)

_FIXTURES = frozenset({"pytest.fixture", "pytest.yield_fixture", "_pytest.fixtures.fixture"})


class Kinds:
    #: what this part caches on the model (:class:`~.model.ModuleModel` starts it empty)
    _kinds_state: int  # 0 not computed, 1 computing, 2 done

    def global_kind(self: Module, name: str) -> Optional[str]:
        """The kind of module-level name ``name`` (another module importing it asks)."""
        self.ensure_kinds()
        kind = self.module.kinds.get(name)
        return None if kind == CONFLICT else kind

    def ensure_kinds(self: Module) -> None:
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

    def resolve_class(self: Module, expr: ast.AST, scope: Scope) -> Optional[ClassInfo]:
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

    def _capable_target(self: Module, q: str) -> bool:
        """Whether the module that dotted name ``q`` lives in can make a kind (worth modelling for one)."""
        target = self.program.file_of(q, self.file)
        return target is not None and target.kind_capable

    def capable_callee(self: Module, func: ast.expr, scope: Scope, instances: bool = False) -> Optional[Scope]:
        """:meth:`resolve_function` (``instances``: a method of an object of the program's class too), but only
        into modules that can start or send anything."""
        if isinstance(func, (ast.Name, ast.Attribute)):
            q = self.qual(func, scope)
            if q and q not in N.CONSTRUCTORS and not N.is_modelled(q) and not self._capable_target(q):
                return None
        found = self.resolve_function(func, scope, instances)
        return found if found is not None and found.model.capable else None

    def kind_of(self: Module, expr: Optional[ast.AST], scope: Scope) -> Optional[str]:
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

    def _call_kind(self: Module, expr: ast.Call, scope: Scope) -> Optional[str]:
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

    def _name_kind(self: Module, expr: ast.Name, scope: Scope) -> Optional[str]:
        binder = self.lookup_scope(expr.id, scope)
        history = binder.bindings.get(expr.id) if binder is scope else None
        if history and hasattr(expr, "lineno"):
            here = start_of(expr)
            before = [kind for pos, kind in history if pos <= here]
            if before:
                return before[-1]
        kind = binder.kinds.get(expr.id)
        if kind is None and binder.is_module and expr.id in self.imports:
            return self._imported_kind(self.imports[expr.id])
        return None if kind == CONFLICT else kind

    def _imported_kind(self: Module, q: str) -> Optional[str]:
        """The kind of a module-level name another module of the program binds (``from .pools import POOL``)."""
        if N.is_modelled(q) or "." not in q:
            return None
        module, _, name = q.rpartition(".")
        found = self.program.find_module(module, self.file)
        model = self.program.model(found, self.file) if found is not None else None
        if model is None or model is self or model._kinds_state == 1:
            return None
        return model.global_kind(name)

    def _bind(self: Module, table: Dict[str, str], name: str, kind: Optional[str]) -> None:
        if kind is None:
            if name in table and table[name] != CONFLICT:
                table[name] = CONFLICT  # bound to something else too: unknown
            return
        if table.get(name, kind) != kind:
            table[name] = CONFLICT
        else:
            table[name] = kind

    def _compute_kinds(self: Module, scope: Scope) -> None:
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
                    self._bind_target(scope, target, kind, end_of(node))
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._bind_target(scope, node.target, self.kind_of(node.value, scope), end_of(node))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    kind = self.kind_of(item.context_expr, scope)
                    if item.optional_vars is not None:
                        keep = kind in (N.POOL, N.EXECUTOR, N.MANAGER, N.THREAD_POOL)  # __enter__ returns self
                        self._bind_target(scope, item.optional_vars, kind if keep else None, end_of(item.context_expr))
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                outer = self.kind_of(node.iter, scope)
                inner = outer[5:] if outer and outer.startswith("list:") else None
                self._bind_target(scope, node.target, inner, end_of(node.iter))
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

    def _param_kinds(self: Module, scope: Scope) -> None:
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

    def _is_fixture(self: Module, scope: Scope) -> bool:
        for deco in scope.decorators():
            target = deco.func if isinstance(deco, ast.Call) else deco
            if (self.qual(target, self.module) or "") in _FIXTURES or (
                isinstance(target, ast.Name) and target.id == "fixture"
            ):
                return True
        return False

    def fixture(self: Module, name: str) -> Optional[Scope]:
        """The pytest fixture ``name`` as this module or a conftest.py above it defines it."""
        own = self.module.defs.get(name)
        if own is not None and self._is_fixture(own):
            return own
        here = self.file.path.absolute().parent
        for folder in [here, *here.parents][:6]:
            conf = self.program.by_path.get(folder / "conftest.py")
            if conf is None or conf is self.file:
                continue
            model = self.program.model(conf, self.file)
            found = model.module.defs.get(name) if model is not None else None
            if found is not None and model is not None and model._is_fixture(found):
                return found
        return None

    def _bind_target(self: Module, scope: Scope, target: ast.expr, kind: Optional[str], pos: Pos) -> None:
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

    def resolve_function(
        self: Module, expr: Optional[ast.AST], scope: Scope, instances: bool = False
    ) -> Optional[Scope]:
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
            partial = self._bound_partial(expr, scope)
            if partial is not None and id(partial) not in self._following:
                # ``worker = partial(process_file, args=args)``: what it calls. Once: jupyterhub's ``utcnow =
                # partial(utcnow, with_tz=False)`` calls the ``utcnow`` bound before it (its import, below)
                self._following.add(id(partial))
                try:
                    return self.resolve_function(partial, scope, instances)
                finally:
                    self._following.discard(id(partial))
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
        if instances and isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Call):  # ``Crawler().crawl``
            info = self.resolve_class(expr.value.func, scope)
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

    def _bound_partial(self: Module, name: ast.Name, scope: Scope) -> Optional[ast.Call]:
        """The ``functools.partial(...)`` call a name is bound to, once and only to it."""
        if name.id in self.module.defs or name.id in scope.defs or name.id in scope.params:
            return None
        value = self.bound_value(name, scope)
        if (
            isinstance(value, ast.Call)
            and value.args
            and self.qual(value.func, self.lookup_scope(name.id, scope)) == "functools.partial"
        ):
            return value
        return None

    def callee(self: Module, call: ast.Call, scope: Scope) -> Optional[Scope]:
        """The program's code a call runs: the function, the ``__init__`` of the class it makes, or the
        function an entry runner is handed (``absl.app.run(main)`` calls ``main``: :data:`~.names.ENTRY_RUNNERS`)."""
        found = self.resolve_function(call.func, scope)
        if found is not None:
            return found
        info = self.resolve_class(call.func, scope)
        if info is not None:
            return info.method("__init__")
        if call.args and self.qual(call.func, scope) in N.ENTRY_RUNNERS:
            return self.resolve_function(call.args[0], scope)
        return None

    def calls(self: Module, scope: Scope) -> Iterator[Tuple[ast.Call, Scope]]:
        """Calls in ``scope`` to functions of the program, with the function called."""
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                callee = scope.model.callee(node, scope)
                if callee is not None:
                    yield node, callee

    def reach(self: Module, roots: Iterable[Scope]) -> Set[Scope]:
        """``roots`` and every function of the program they call, directly or not."""
        seen: Set[Scope] = set()
        todo = list(roots)
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            todo.extend(callee for _, callee in s.model.calls(s))
            todo.extend(s.model._object_methods_called(s))
        return seen

    def _object_methods_called(self: Module, scope: Scope) -> Iterator[Scope]:
        """Methods of objects of the program's classes that ``scope`` calls on them: ``Game().play()``, and
        ``game.play()`` after ``game = Game()`` (ChineseCheckersAgent's self-play worker). Code that runs in a
        child runs these too; not for the parent's paths (see :meth:`resolve_function`)."""
        for node in scope.nodes:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            value = node.func.value
            found: Optional[Scope] = None
            if isinstance(value, ast.Call):
                info = self.resolve_class(value.func, scope)
                found = info.method(node.func.attr) if info is not None else None
            elif isinstance(value, ast.Name) and value.id not in ("self", "cls"):
                found = self.resolve_function(node.func, scope, instances=True)
            if found is not None:
                yield found

    @staticmethod
    def argument(call: ast.Call, index: int, keyword: str) -> Optional[ast.expr]:
        return argument(call, index, keyword)

    @staticmethod
    def _elements(expr: Optional[ast.expr]) -> Tuple[ast.expr, ...]:
        return elements(expr)

    def bound_value(self: Module, expr: ast.expr, scope: Scope) -> Optional[ast.expr]:
        """The one value a name is bound to (``ctx`` in ``ctx = get_context("fork")``), or the expression."""
        if not isinstance(expr, ast.Name):
            return expr
        binder = self.lookup_scope(expr.id, scope)
        if binder._values is None:  # indexed once per scope: every name's values
            index: Dict[str, List[ast.expr]] = {}
            for n in binder.nodes:
                if isinstance(n, ast.Assign):
                    for name in dict.fromkeys(t.id for t in n.targets if isinstance(t, ast.Name)):
                        index.setdefault(name, []).append(n.value)
                elif isinstance(n, (ast.With, ast.AsyncWith)):
                    for i in n.items:
                        if isinstance(i.optional_vars, ast.Name):
                            index.setdefault(i.optional_vars.id, []).append(i.context_expr)
            binder._values = index
        values = binder._values.get(expr.id, [])
        return values[0] if len(values) == 1 else None

    def constant(self: Module, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> Optional[str]:
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
