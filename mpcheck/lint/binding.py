"""A module's model, part one: its imports, its scopes (functions, classes, the main block) and what a
name refers to through them (:meth:`~Binding.qual`, :meth:`~Binding.lookup_scope`, :meth:`~Binding.member`).

A mixin of :class:`~.model.ModuleModel`; it asks the other parts through :class:`~.parts.Module`.
"""

from __future__ import annotations

import ast
import builtins
from typing import Dict, Iterator, Optional, Sequence, Set, Tuple, Union

from . import names as N
from .parts import (
    CONFLICT,
    ClassInfo,
    FuncNode,
    Module,
    Scope,
    is_main_guard,
    own_nodes,
)

_BUILTINS = frozenset(dir(builtins))


class Binding:
    #: what this part caches on the model (:class:`~.model.ModuleModel` starts it empty)
    _loggers: Optional[Set[str]]
    _local_imports: Dict[int, Dict[str, str]]

    def _collect_imports(self: Module) -> None:
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
    def uses_multiprocessing(self: Module) -> bool:
        """Whether the module imports a process library (stdlib or a wrapper)."""
        return any(N.is_process_library(q) for q in [*self.imports.values(), *self.dotted])

    @property
    def capable(self: Module) -> bool:
        """Whether anything here can have a kind the rules know: the file names a process library or threads."""
        return self.file.kind_capable

    @property
    def path(self: Module) -> str:
        return self.file.shown

    def member(self: Module, rest: Sequence[str], depth: int = 0) -> object:
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

    def lookup_scope(self: Module, name: str, scope: Scope) -> Scope:
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

    def _local_import(self: Module, name: str, binder: Scope) -> Optional[str]:
        """What a function's own ``import multiprocessing as mp`` (or ``from x import y``) binds ``name``
        to, when that import is the only binding of the name in the function; else None."""
        found = self._local_imports.get(id(binder))
        if found is None:
            found = {}
            stored: Set[str] = set(binder.params)
            for node in binder.nodes:
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    stored.add(node.id)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for bound, q in self._import_names(node):
                        found[bound] = q if bound not in found else CONFLICT
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    stored.add(node.name)
            found = {k: v for k, v in found.items() if k not in stored and v != CONFLICT}
            self._local_imports[id(binder)] = found
        return found.get(name)

    def _import_names(self: Module, node: Union[ast.Import, ast.ImportFrom]) -> Iterator[Tuple[str, str]]:
        """(the name it binds, the dotted name it stands for) for each name an import statement binds."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                yield (alias.asname, alias.name) if alias.asname else (top, top)
            return
        base = node.module if node.level == 0 else self.program.relative(self.file, node.level, node.module)
        if base:
            for alias in node.names:
                if alias.name != "*":
                    yield alias.asname or alias.name, f"{base}.{alias.name}"

    def qual(self: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
        """The dotted name ``expr`` refers to through the imports (``mp.Pool`` -> ``multiprocessing.Pool``);
        builtins by their name; None for local variables and anything else."""
        if scope.model is not self:
            return scope.model.qual(expr, scope)
        if isinstance(expr, ast.Name):
            binder = self.lookup_scope(expr.id, scope)
            if not binder.is_module:
                return self._local_import(expr.id, binder)
            if expr.id in self.imports:
                return self.imports[expr.id]
            if expr.id in self.module.locals:
                return None
            return expr.id if expr.id in _BUILTINS else None
        if isinstance(expr, ast.Attribute):
            base = self.qual(expr.value, scope)
            return f"{base}.{expr.attr}" if base else None
        return None

    def _build_scope(
        self: Module, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool
    ) -> None:
        if isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = scope.node.args
            scope.params = [x.arg for x in [*getattr(a, "posonlyargs", []), *a.args, *a.kwonlyargs]]
            scope.params += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
            scope.locals.update(scope.params)
        self._walk_body(scope, body, cls, in_main)

    def _walk_body(
        self: Module, scope: Scope, body: Sequence[ast.stmt], cls: Optional[ClassInfo], in_main: bool
    ) -> None:
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

    def _add_function(self: Module, scope: Scope, node: FuncNode, cls: Optional[ClassInfo], in_main: bool) -> None:
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

    def _add_class(self: Module, scope: Scope, node: ast.ClassDef, in_main: bool) -> None:
        scope.locals.add(node.name)
        info = ClassInfo(node, self)
        if scope.is_module:
            self.classes[node.name] = info
        for stmt in node.body:  # methods: module-level classes only (nested classes are rare and local)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._add_function(self.module if scope.is_module else scope, stmt, info, in_main)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                info.class_attrs[stmt.targets[0].id] = stmt.value

    def global_reads(self: Module, scope: Scope) -> Dict[str, ast.Name]:
        """Module-level names that ``scope`` reads (first read of each)."""
        reads: Dict[str, ast.Name] = {}
        for node in scope.nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in reads:
                reads.update({node.id: node} if self.lookup_scope(node.id, scope).is_module else {})
        return reads

    @property
    def loggers(self: Module) -> Set[str]:
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
