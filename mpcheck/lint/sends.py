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
    PICKLE_HOOKS,
    ClassInfo,
    Module,
    Scope,
    Send,
    is_self,
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
        if kind == N.PROCESS and (subclass is None or self._base_run_called(subclass)):
            target = self.argument(call, 1, "target") if subclass is None else self.argument(call, 99, "target")
            args = self._elements(self.argument(call, 2, "args"))
            kwargs = self.argument(call, 3, "kwargs")
            if isinstance(kwargs, ast.Dict):
                args += tuple(v for v in kwargs.values if v is not None)
            args += self._kept(target, scope) if target is not None else ()  # an object: what it keeps travels
            yield target, args, "process", kind, call
        elif kind in (N.POOL, N.EXECUTOR):
            index = 1 if kind == N.POOL and getattr(kind, "lib", "") != "mpire" else 2
            init = self.argument(call, index, "initializer" if getattr(kind, "lib", "") != "mpire" else "worker_init")
            if init is not None and not self._returns_nothing(init, scope):
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

    def _returns_nothing(self: Module, expr: ast.expr, scope: Scope) -> bool:
        """Whether ``expr`` calls a function of the program that returns no value: ``initializer=init(args)``
        runs ``init`` here, in the parent, and hands the pool ``None`` (valhalla's ``initialize(args)``, whose
        globals reach the workers only by fork: under spawn and forkserver they are undefined, run)."""
        if not isinstance(expr, ast.Call):
            return False
        func = self.resolve_function(expr.func, scope)
        return (
            func is not None and isinstance(func.node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and not any(
                isinstance(n, (ast.Yield, ast.YieldFrom)) or (isinstance(n, ast.Return) and n.value is not None)
                for n in func.nodes
            )
        )  # fmt: skip

    def stored_args(self: Module, call: ast.Call, scope: Scope) -> Tuple[ast.expr, ...]:
        """The arguments of ``call``, which makes an object of the program's class, that the object keeps
        (its ``__init__`` stores them on self, or they are a dataclass's fields), so they are pickled with it;
        none when the class says how it is pickled or has a base from a library other than ``Process``."""
        info = self.resolve_class(call.func, scope)
        if info is None:
            return ()
        for cls in info.mro():
            if any(h in cls.methods for h in PICKLE_HOOKS):
                return ()
            if any(isinstance(b, str) and b != "object" and N.CONSTRUCTORS.get(b) != N.PROCESS for b in cls.bases()):
                return ()
        init = info.method("__init__")
        if init is not None:
            params = init.params[1:]
            stored = {
                node.value.id
                for node in init.nodes
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in params
                and any(isinstance(t, ast.Attribute) and is_self(t, init) for t in node.targets)
            }  # fmt: skip
        elif _is_dataclass(info) and len(info.mro()) == 1:
            params = [
                n.target.id
                for n in info.node.body
                if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value is None
                and "ClassVar" not in ast.unparse(n.annotation)
            ]  # fmt: skip
            stored = set(params)
        else:
            return ()
        kept: List[ast.expr] = []
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                break
            if index < len(params) and params[index] in stored:
                kept.append(arg)
        kept += [k.value for k in call.keywords if k.arg in stored]
        return tuple(kept)

    def _kept(self: Module, sent: ast.expr, scope: Scope) -> Tuple[ast.expr, ...]:
        """What a sent object of the program's class keeps (pypeln's worker object holding the user's function)."""
        return self.stored_args(sent, scope) if isinstance(sent, ast.Call) else ()

    def _base_run_called(self: Module, info: ClassInfo, depth: int = 0) -> bool:
        """Whether a Process subclass's ``run`` runs the target it is given: it has none of its own, or its own calls
        the library's (``super().run()``, ``multiprocessing.Process.run(self)``: multicore's Process that sends the
        target's exception back to the parent), itself or through a base of the program's that does."""
        run = info.method("run")
        if run is None:
            return True
        if depth > 5 or run.cls is None:
            return False
        for node in run.nodes:
            func = node.func if isinstance(node, ast.Call) else None
            if not (isinstance(func, ast.Attribute) and func.attr == "run"):
                continue
            owner = func.value
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                base = next((b for b in run.cls.mro()[1:] if "run" in b.methods), None)
                return base is None or self._base_run_called(base, depth + 1)
            named = self.resolve_class(owner, run)
            if named is not None and named is not run.cls:
                return self._base_run_called(named, depth + 1)
            if named is None and (self.qual(owner, run) or "").rpartition(".")[2] == "Process":
                return True  # ``multiprocessing.Process.run(self)``, a context's ``Process``: the library's
        return False

    def _subclass_run(self: Module, call: ast.Call, scope: Scope) -> Optional[Scope]:
        """The ``run`` of the Process subclass of the program that ``call`` makes."""
        info = self.resolve_class(call.func, scope)
        return info.method("run") if info is not None and info.kind == N.PROCESS else None

    def _forwarded_args(self: Module, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]:
        """(argument, how it is sent, start method) for each argument of ``call`` that the program's function
        it calls hands on to a child (gensim's ``chunkize(corpus)`` keeps it on a Process subclass; a method of an
        object of the program's: openpilot's ``sr.run_across_segments(2, process)``)."""
        callee = self.capable_callee(call.func, scope, instances=True)
        if callee is None or callee is scope:
            return
        callee.model.ensure_kinds()
        offset = 1 if callee.cls is not None and isinstance(call.func, ast.Attribute) else 0
        for param, (via, method) in callee.arg_forwards.items():
            arg = self.argument(call, callee.params.index(param) - offset, param)
            if arg is not None:
                yield arg, via, method

    def _forwarded_sends(self: Module, call: ast.Call, scope: Scope) -> Iterator[Tuple[ast.expr, str, Optional[str]]]:
        callee = self.capable_callee(call.func, scope, instances=True)
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
            before = [(len(s.forwards), s.starts, len(s.param_starts), len(s.arg_forwards)) for s in self.scopes]
            for scope in self.scopes:
                for node in calls[id(scope)]:
                    direct = [(f, args, via, pickled[1]) for f, args, via, kind, made in self._direct_sends(node, scope)
                              for pickled in [self._pickled(kind, made, scope, via)] if pickled[0]]  # fmt: skip
                    forwarded = list(self._forwarded_sends(node, scope))
                    for f, via, method in [*((f, v, m) for f, _, v, m in direct), *forwarded]:
                        if isinstance(f, ast.Name) and f.id in scope.params and f.id not in scope.forwards:
                            scope.forwards[f.id] = via
                            scope.forward_methods[f.id] = method
                    # what travels as an argument, or kept by the object sent: a parameter of this function
                    # there makes each call of it send its argument (gensim's chunkize(corpus))
                    travels = [(a, via, method) for _, args, via, method in direct for a in args]
                    travels += [(a, via, method) for f, via, method in forwarded for a in self._kept(f, scope)]
                    # what a ``partial`` sent as the function carries travels with it (openpilot's
                    # ``pool.imap(partial(self._run_on_segment, func), ...)``)
                    travels += [
                        (a, via, method) for f, via, method in [*((f, v, m) for f, _, v, m in direct), *forwarded]
                        if isinstance(f, ast.Call) and self.qual(f.func, scope) == "functools.partial"
                        for a in [*f.args[1:], *(k.value for k in f.keywords)]
                    ]  # fmt: skip
                    if self._subclass_run(node, scope) is not None:
                        travels += [(a, "process", None) for a in self.stored_args(node, scope)]
                    for a, via, method in [*travels, *self._forwarded_args(node, scope)]:
                        if isinstance(a, ast.Name) and a.id in scope.params and a.id not in scope.arg_forwards:
                            scope.arg_forwards[a.id] = (via, method)
                    if self.start_kind(node, scope):
                        scope.starts = True
                    func = node.func
                    started = func.value if isinstance(func, ast.Attribute) and func.attr == "start" else None
                    if isinstance(started, ast.Name) and started.id in scope.params:
                        scope.param_starts.add(started.id)
            if before == [(len(s.forwards), s.starts, len(s.param_starts), len(s.arg_forwards)) for s in self.scopes]:
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
                    roots = (send.root, *self._called_arguments(send))  # what its function calls it is handed
                    self._send_roots[id(send.call)] = (*self._send_roots.get(id(send.call), ()), *roots)
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
                    sends.append(Send(node, f, self._kept(f, scope), via, scope, root, f, method=method))
                for a, via, method in self._forwarded_args(node, scope):
                    sends.append(Send(node, None, (a,), via, scope, None, a, method=method))
                run = self._subclass_run(node, scope)
                if run is not None:
                    kept = self.stored_args(node, scope)
                    sends.append(Send(node, None, kept, "process", scope, run, node, daemon, N.PROCESS))
        return sends

    def local_class(self: Module, expr: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The program's class ``expr`` names, if any (kept for the rules' wording)."""
        return self.resolve_class(expr, scope)

    @property
    def child_roots(self: Module) -> List[Scope]:
        return list(dict.fromkeys(root for roots in self._send_roots.values() for root in roots)) if self.sends else []

    def _called_arguments(self: Module, send: Send) -> List[Scope]:
        """The program's functions handed to a child as arguments that its function calls through the parameter
        that takes them (pyphi's ``Process(target=self.worker, args=(evaluate_cut, ...))``, whose worker calls
        ``compute(obj)``): they run in the child too. The parameter at the argument's place, or at the next one
        (a bound method's ``self`` comes first)."""
        root = send.root
        if root is None or not send.args or send.func is None:
            return []
        called = {node.func.id for node in root.nodes if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        found: List[Scope] = []
        for index, arg in enumerate(send.args):
            if not isinstance(arg, (ast.Name, ast.Attribute)):
                continue
            names = set(root.params[index : index + 2]) & called
            function = self.resolve_function(arg, send.scope) if names else None
            if function is not None and function.cls is None:
                found.append(function)
        return found

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


def _is_dataclass(info: ClassInfo) -> bool:
    """Whether the class is decorated with the standard library's ``@dataclass`` (its fields are kept)."""
    home = info.model.module
    return any(
        info.model.qual(d.func if isinstance(d, ast.Call) else d, home) == "dataclasses.dataclass"
        for d in info.node.decorator_list
    )
