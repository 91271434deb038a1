"""A module's model, part four: what runs in a child (:attr:`~Sends.sends`, :meth:`~Sends.child_side`):
targets, pool and executor tasks, initializers, a Process subclass's ``run``, what a function of the
program forwards to one; and what runs in a thread of the module's own (:meth:`~Sends.thread_sends`).

A mixin of :class:`~.model.ModuleModel`; it asks the other parts through :class:`~.parts.Module`.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Set, Tuple

from . import names as N
from .parts import (
    ClassInfo,
    Module,
    Scope,
    Send,
)


class Sends:
    #: what this part caches on the model (:class:`~.model.ModuleModel` starts it empty)
    _sends: Optional[List[Send]]
    _send_roots: Dict[int, Tuple[Scope, ...]]
    _sends_by_call: Dict[int, List[Send]]
    _thread_sends: Optional[List[Tuple[ast.AST, Scope]]]
    _child: Optional[Set[Scope]]

    def _pickled(
        self: Module, kind: Optional[str], made: Optional[ast.expr], scope: Scope, via: str
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
        self: Module, call: ast.Call, scope: Scope
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

    def _forwarded_sends(self: Module, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]:
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

    def _compute_forwards_and_starts(self: Module) -> None:
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

    def start_kind(self: Module, call: ast.Call, scope: Scope) -> Optional[str]:
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
    def sends(self: Module) -> List[Send]:
        if self._sends is None:
            self.ensure_kinds()
            self._sends = self._collect_sends()
            self._send_roots = {}
            self._sends_by_call = {}
            for send in self._sends:
                self._sends_by_call.setdefault(id(send.call), []).append(send)
                if send.root is not None:
                    self._send_roots[id(send.call)] = (*self._send_roots.get(id(send.call), ()), send.root)
        return self._sends

    def sends_at(self: Module, call: ast.AST) -> List[Send]:
        """What the call hands to a child (the event a ``send`` event of a path was made from)."""
        _ = self.sends
        return self._sends_by_call.get(id(call), [])

    def _collect_sends(self: Module) -> List[Send]:
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

    def local_class(self: Module, expr: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The program's class ``expr`` names, if any (kept for the rules' wording)."""
        return self.resolve_class(expr, scope)

    @property
    def child_roots(self: Module) -> List[Scope]:
        return [s.root for s in self.sends if s.root is not None]

    def child_side(self: Module) -> Set[Scope]:
        """Every function of the program that may run in a child process this module starts."""
        if self._child is None:
            self._child = self.reach(self.child_roots)
        return self._child

    def thread_sends(self: Module) -> List[Tuple[ast.AST, Scope]]:
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
