"""One rule per pitfall of :mod:`mpcheck.pitfalls`: each finds its pitfall's code pattern in a
:class:`~.model.Module` and says, in one line, what it found. Why it breaks and how to fix it is the
pitfall's text (``mpcheck lint --explain CODE``), never repeated here.

Precision first: a rule flags only what the model knows (a name it cannot tell the kind of is not a
Process), and stays silent where the module names only start methods the pitfall spares.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Set, Tuple

from .. import pitfalls
from ..expect import METHODS, PLATFORMS
from ..methods import REAPS_ANY_CHILD, REAPS_CHILDREN, WHICH_PROCESS, any_child_pid, sample_versions
from . import names as N
from .core import Hit, line_of, rule
from .parts import (
    DEFAULT,
    PICKLE_HOOKS,
    ClassInfo,
    EntryPath,
    Event,
    Module,
    Scope,
    Send,
    argument,
    import_time_statements,
    is_self,
    is_test_file,
    is_test_module,
    literal,
    own_nodes,
)
from .program import SourceFile


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _breaks_anywhere(code: str) -> Set[str]:
    """Every start method the pitfall breaks under on some platform and version (read from ``breaks``)."""
    pitfall = pitfalls.get(code)
    assert pitfall is not None
    return {
        m
        for p in PLATFORMS
        for v in sample_versions()
        for context in (None, *pitfalls.CONTEXTS)
        for m in pitfall.broken_methods(p, v, context)
    }


def _applies(model: Module, code: str) -> bool:
    methods = _breaks_anywhere(code)
    return model.may_use(methods or METHODS)


def _starts_after(events: List[Event], index: int) -> Optional[Event]:
    return next((e for e in events[index + 1 :] if e.kind == "start"), None)


def _first_start(events: List[Event]) -> int:
    return next((i for i, e in enumerate(events) if e.kind == "start"), len(events))


# --- MP101 ---------------------------------------------------------------------------------------------
def _unpicklable(model: Module, expr: Optional[ast.AST], scope: Scope) -> Optional[str]:
    """Why ``expr`` (a function or argument sent to a child) cannot be rebuilt there, or None."""
    if isinstance(expr, ast.Lambda):
        return "a lambda"
    if isinstance(expr, ast.Name):
        binder = model.lookup_scope(expr.id, scope)
        if expr.id in binder.lambdas and not binder.is_module:
            return f"`{expr.id}` (a lambda)"
        func = model.resolve_function(expr, scope)
        if func is not None and func.parent is not None and func.cls is None and func.name not in func.parent.globals:
            # (one its function declares global is its module's, pickled by name as the main block's are; its
            # child finds it only where that function ran first: deeplabcut's Pool under fork, not under spawn)
            return f"`{expr.id}` (local to `{func.parent.name}()`)"
        if func is not None and func.in_main and func.parent is None and func.cls is None:
            return f"`{expr.id}` (defined in the main block)"
        decorator = _decorator_of_param(model, binder, expr.id) if func is None else None
        if decorator is not None:
            return f"`{expr.id}`, the function `@{decorator}` decorates (its name is now bound to the wrapper)"
        return None
    if isinstance(expr, ast.Attribute) and is_self(expr, scope):
        private = _private_method(scope, expr.attr)
        if private is not None:
            return private
    if isinstance(expr, ast.Call):
        if model.qual(expr.func, scope) == "functools.partial" and expr.args:
            reason = _unpicklable(model, expr.args[0], scope)
            for carried in [*expr.args[1:], *(k.value for k in expr.keywords)] if reason is None else []:
                reason = _unpicklable(model, carried, scope)  # pickled by reference with the partial (openpilot)
                if reason is not None:
                    return f"a `partial` carrying {reason}"
            return reason
        maker = model.resolve_function(expr.func, scope)
        if maker is not None and _returns_local(model, maker):
            return f"the local function that `{maker.name}()` returns"
        factory = expr.func if isinstance(expr.func, ast.Call) else None
        made = _returned_def(model, factory, scope) if factory is not None else None
        if factory is not None and made is not None and _returns_local(model, made):  # pandarallel#72's
            # ``prepare_worker(flag)(worker)``
            return f"the local function that `{made.name}()` (made by `{ast.unparse(factory.func)}()`) returns"
    return None


def _returned_def(model: Module, call: ast.Call, scope: Scope) -> Optional[Scope]:
    """The function defined inside the function ``call`` calls that it returns by name (a decorator factory's
    ``return closure``), if it returns that one only."""
    maker = model.resolve_function(call.func, scope)
    if maker is None:
        return None
    returned = {
        node.value.id for node in maker.nodes
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id in maker.defs
    }  # fmt: skip
    others = [n for n in maker.nodes if isinstance(n, ast.Return) and not (
        isinstance(n.value, ast.Name) and n.value.id in returned)]  # fmt: skip
    return maker.defs[returned.pop()] if len(returned) == 1 and not others else None


#: calls that make a class (``CPInfo = namedtuple("CPInfo", ...)``): made inside a function, the class is local to it
_CLASS_FACTORIES = frozenset(
    {"collections.namedtuple", "typing.NamedTuple", "dataclasses.make_dataclass", "types.new_class"}
)


def _local_class(model: Module, call: ast.expr, scope: Scope) -> Optional[str]:
    """The name of the class local to the function ``scope`` whose object ``call`` makes: a ``class`` statement
    there, or a name bound there once to ``namedtuple(...)`` and its kin. Pickle finds a class by its module and
    name, which do not lead to it (katdal's ``CPInfo``: ``Can't pickle <class '__main__.CPInfo'>: attribute
    lookup CPInfo on __main__ failed`` under spawn and forkserver, run). Not one the function declares global,
    nor one that says how it is pickled."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)) or scope.is_module:
        return None
    name = call.func.id
    if name in scope.globals or model.lookup_scope(name, scope) is not scope:
        return None
    defs = [n for n in scope.nodes if isinstance(n, ast.ClassDef) and n.name == name]
    value = model.bound_value(call.func, scope)
    bound = [n for n in scope.nodes if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    if len(defs) == 1 and not bound:  # the class statement is its one binding
        hooks = {n.name for n in defs[0].body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return None if hooks & set(PICKLE_HOOKS) or defs[0].bases else name
    if not defs and isinstance(value, ast.Call) and model.qual(value.func, scope) in _CLASS_FACTORIES:
        return name
    return None


def _local_class_object(model: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
    """Why ``expr``, sent to a child as an argument, is an object of a class local to a function (see
    :func:`_local_class`): made here, bound here to one, or returned by a function of the program that makes
    it (katdal's ``corrprod_index()``)."""
    value = model.bound_value(expr, scope) if isinstance(expr, ast.Name) else expr
    if not isinstance(value, ast.Call):
        return None
    name = _local_class(model, value, scope)
    if name is not None:
        return f"an object of `{name}` (a class local to `{scope.name}()`)"
    maker = model.resolve_function(value.func, scope)
    if maker is None or maker is scope:
        return None
    returned = [n.value for n in maker.nodes if isinstance(n, ast.Return)]
    names = {_local_class(maker.model, r, maker) if r is not None else None for r in returned}
    if len(names) == 1 and None not in names:
        return f"an object of `{names.pop()}` (a class local to `{maker.name}()`, which returns it)"
    return None


def _decorator_of_param(model: Module, binder: Scope, param: str) -> Optional[str]:
    """The name a decorator of the program is applied by, when ``param`` is the function it is given and it
    returns something else (its wrapper): the decorated function's name then holds the wrapper, and pickle,
    which looks a function up by its module and name, finds another object (task-multiprocess: ``Can't pickle
    <function ...>: it's not the same object as ...`` under spawn and forkserver, run; a pool's tasks under
    every method). The decorator is used as ``@name`` on a function of the module, or is what a factory used
    as ``@factory(...)`` returns. Not a decorator that returns the function itself (a registry's)."""
    node = binder.node
    if binder.is_module or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    if params[:1] != [param] or len(params) != 1:
        return None
    returns = [n.value for n in binder.nodes if isinstance(n, ast.Return) and n.value is not None]
    if not returns or any(isinstance(r, ast.Name) and r.id == param for r in returns):
        return None
    outer = binder.parent  # a factory used as ``@timeout(5)`` that returns this decorator
    made_by = [n.value for n in outer.nodes if isinstance(n, ast.Return)] if outer is not None else []
    factories = {outer.name} if outer is not None and any(_is_name(v, node.name) for v in made_by if v) else set()
    for other in ast.walk(model.tree):
        if not isinstance(other, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for d in other.decorator_list:
            if isinstance(d, ast.Name) and d.id == node.name:
                return node.name
            if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id in factories:
                return f"{d.func.id}(...)"
    return None


def _private_method(scope: Scope, name: str) -> Optional[str]:
    """Why ``self.<name>`` in a method of ``scope``'s class cannot be rebuilt in a child, when it is a private
    (name-mangled) method of that class: a bound method pickles as a lookup of its ``__name__`` on its
    object, ``__work``, which the class keeps as ``_Runner__work`` (AttributeError in the child)."""
    if not name.startswith("__") or name.endswith("__") or scope.cls is None:
        return None
    method = scope.cls.method(name)
    if (
        method is None
        or method.cls is not scope.cls
        or any(
            isinstance(d, ast.Name) and d.id in ("staticmethod", "property")
            for d in getattr(method.node, "decorator_list", [])
        )
    ):
        # another class's (mangled with its own name); a property (a value); a staticmethod, a plain function
        # pickled by its qualified name, which 3.15's pickle mangles (PicklingError before): not certain
        return None
    if scope.cls.method("__getattr__") is not None or scope.cls.method("__reduce__") is not None:
        return None  # the class answers the lookup, or pickles itself, its own way
    mangled = f"_{scope.cls.name.lstrip('_')}{name}"
    return f"`self.{name}` (a private method: pickle looks it up as `{name}`, the class keeps it as `{mangled}`)"


#: what holds an OS resource or a lock and cannot be pickled (sockets and connections can: multiprocessing
#: duplicates them for the child)
_UNPICKLABLE_OPENERS = N.RESOURCE_OPENERS - N.REDUCED_BY_MULTIPROCESSING


def _cannot_pickle_result(q: str, call: ast.Call) -> bool:
    """Whether what ``call`` (of ``q``) returns holds an OS resource, a lock or a stream: an opener's, or a
    library object that keeps its output stream (a progress bar made without ``disable=`` or ``file=``)."""
    if q in _UNPICKLABLE_OPENERS:
        return True
    unless = N.STREAM_HOLDERS.get(q)
    return unless is not None and not any(k.arg in unless or k.arg is None for k in call.keywords)


def _unpicklable_value(model: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
    """Why an argument's value cannot be pickled: a generator, an open file or a lock, an object of a
    class of the program that keeps one of those on ``self`` and says nothing of how to pickle it (a
    progress bar and its lock); None when it can, or when it cannot be told."""
    name = expr.id if isinstance(expr, ast.Name) else None
    value = model.bound_value(expr, scope) if name is not None else expr
    if name is not None and model.lookup_scope(name, scope).is_module and not scope.is_module:
        return None  # a module global: rebound anywhere
    what = f"`{name}` " if name else ""
    if isinstance(value, ast.GeneratorExp):
        return f"{what}(a generator)" if name else "a generator"
    if isinstance(value, (ast.Attribute, ast.Name)) and (model.qual(value, scope) or "") in N.UNPICKLABLE_GLOBALS:
        return f"{what}(`{model.qual(value, scope)}`)" if name else f"`{model.qual(value, scope)}`"
    if not isinstance(value, ast.Call):
        return None
    q = model.qual(value.func, scope) or ""
    if _cannot_pickle_result(q, value):
        return f"{what}(the result of `{q}()`)" if name else f"the result of `{q}()`"
    maker = model.resolve_function(value.func, scope)
    if maker is not None and not isinstance(maker.node, ast.AsyncFunctionDef) and maker.cls is None:
        managed = any(maker.model.qual(d, maker) in N.CONTEXT_MANAGERS for d in maker.decorators())
        if not managed and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in maker.nodes):
            # (a ``@contextmanager`` function's call makes a context manager; ``with f() as x`` binds what it
            # yields: spinedb-api's server URL, a str)
            return f"{what}(a generator)" if name else f"the generator `{maker.name}()` returns"
        return None
    info = model.resolve_class(value.func, scope)
    held = _held_resource(info) if info is not None else None
    if info is not None and held is not None:
        shown = f"{what}(a `{info.name}`, which keeps `{held}` on self)"
        return shown if name else f"a `{info.name}`, which keeps `{held}` on self"
    return None


def _bound_to_unpicklable(
    model: Module, func: ast.Attribute, scope: Scope, send: Optional[ast.AST] = None
) -> Optional[str]:
    """Why ``self.method``, sent to a child, cannot be pickled: a bound method pickles its object, and the
    object's ``__init__`` (its class's or a base's of the program) keeps on ``self`` what cannot be pickled (a
    lock, a poller, a file, a thread queue) or an object of the program's that keeps one (pyftpdlib#656:
    ``self.ioloop = Epoll()``, whose ``__init__`` keeps ``select.epoll()``; ``Process(target=self._loop)``
    fails with ``cannot pickle 'select.epoll' object`` under spawn and forkserver, run). Not a class that
    says how it is pickled, nor one with a base from a library (its own state is not known)."""
    info = scope.cls
    if info is None or not is_self(func, scope):
        return None
    method = info.method(func.attr)
    if method is None or any(
        isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
        for d in getattr(method.node, "decorator_list", [])
    ):
        return None  # an attribute holding a function, or a method that is not bound to the object
    mro = info.mro()
    if _pickled_unknown(mro):
        return None
    for cls in mro:
        init = cls.methods.get("__init__")
        if init is None or not init.params:
            continue
        for node in init.nodes:
            if not isinstance(node, ast.Assign):
                continue
            targets = [t for t in node.targets if isinstance(t, ast.Attribute) and _is_name(t.value, init.params[0])]
            if not targets or (cls.model.conditional(node, init) and not _same_arms(cls.model, node, send)):
                continue  # kept only when a test says so (wandb's Popen under `if command:`, its Process under `elif`)
            held = _unpicklable_kept(cls.model, node.value, init)
            made = node.value.func if isinstance(node.value, ast.Call) else None
            kept = cls.model.resolve_class(made, init) if held is None and made is not None else None
            inner = _held_resource(kept) if kept is not None else None
            if held is not None:
                return f"`self.{func.attr}` (a method of an object that keeps `{held}` on `self.{targets[0].attr}`)"
            if kept is not None and inner is not None:
                return (
                    f"`self.{func.attr}` (a method of an object whose `self.{targets[0].attr}`, of class "
                    f"`{kept.name}`, keeps `{inner}`)"
                )
        break  # the first __init__ found is the one that runs
    return None


def _same_arms(model: Module, node: ast.AST, other: Optional[ast.AST]) -> bool:
    """Whether ``other`` sits in every arm of an ``if`` or ``try`` that ``node`` sits in (both run, or neither)."""
    if other is None:
        return False
    theirs = {(id(stmt), arm) for stmt, arm in model.enclosing(other)}
    return all((id(stmt), arm) in theirs for stmt, arm in model.enclosing(node))


def _pickled_unknown(mro: List[ClassInfo]) -> bool:
    """Whether how a class's objects pickle is not the program's to read: a base from a library (its own state
    is not known), or a class that says how it is pickled (``__getstate__``, ``__reduce__``...)."""
    return any(isinstance(b, str) and b != "object" for c in mro for b in c.bases()) or any(
        h in c.methods for c in mro for h in PICKLE_HOOKS
    )


def _held_resource(info: ClassInfo) -> Optional[str]:
    """What unpicklable thing a class of the program (only program classes in its bases) keeps on self."""
    mro = info.mro()
    if _pickled_unknown(mro):
        return None
    for cls in mro:
        for method in cls.methods.values():
            for node in method.nodes:
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and method.params and _is_name(t.value, method.params[0])
                    for t in node.targets
                ):
                    held = _unpicklable_kept(cls.model, node.value, method, functions=method.name == "__init__")
                    if held is not None:
                        return held
    return None


def _unpicklable_kept(model: Module, value: ast.expr, scope: Scope, functions: bool = True) -> Optional[str]:
    """How to show ``value``, assigned to an attribute, when it cannot be pickled: ``select.epoll()`` (a call whose
    result holds a resource) or ``os.environ`` (:data:`~.names.UNPICKLABLE_GLOBALS`, ypkg#145's config object);
    with ``functions``, a lambda or a function defined in ``scope`` (clarity#424's dataset keeps ``lambda audio:
    audio``: "Can't pickle <function <lambda>>" under spawn and forkserver, run)."""
    if functions and isinstance(value, ast.Lambda):
        shown = ast.unparse(value)
        return shown if len(shown) <= 40 else "a lambda"
    if functions and isinstance(value, ast.Name) and value.id in scope.defs and value.id not in scope.params:
        return value.id  # (local to the method: pickled by a name the child cannot look up)
    if isinstance(value, ast.Call):
        q = model.qual(value.func, scope) or ""
        return f"{q}()" if _cannot_pickle_result(q, value) else None
    value = _unless_given(value, scope)
    if isinstance(value, (ast.Attribute, ast.Name)):
        q = model.qual(value, scope) or ""
        return q if q in N.UNPICKLABLE_GLOBALS else None
    return None


def _unless_given(value: ast.expr, scope: Scope) -> ast.expr:
    """What ``param or default`` gives where ``param`` is a parameter of ``scope`` whose default is None
    (django-chroniker's ``self.fout = fout or sys.stdout``): the default, unless a caller passes one."""
    node = scope.node
    if not (isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2):
        return value
    first = value.values[0]
    if not isinstance(first, ast.Name) or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return value
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults) :]], args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    default = defaults.get(first.id)
    return value.values[1] if isinstance(default, ast.Constant) and default.value is None else value


def _returns_local(model: Module, func: Scope) -> bool:
    for node in func.nodes:
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Lambda):
                return True
            if isinstance(value, ast.Name) and value.id in func.defs:
                return True
    return False


def _never_used(model: Module, send: Send) -> bool:
    """A Process never started: bound to a name that is never read again (CPython's own tests build some),
    or read only to look at it (``assert p``, ``self.assertTrue(p)``, ``p.name``, its ``run`` called or handed
    to a thread, which runs it here: crawlmp's tests) and never started, passed on, stored or returned
    (billiard's tests build one only to check that it is true). A Process subclass's object too."""
    if send.via != "process" or send.report is not (send.func if send.func is not None else send.call):
        return False
    name = _bound_name(model, send.call, send.scope)
    if name is None or "." in name:
        return False  # stored on an object: it may be started elsewhere
    parents: Dict[int, ast.AST] = {}
    for node in send.scope.nodes:
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for node in send.scope.nodes:
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute):
            if parent.attr in ("start", "__enter__"):
                return False
            continue  # p.name, p.pid, p.daemon = ...: looking at it
        if isinstance(parent, ast.Assert):
            continue
        if isinstance(parent, ast.Call) and _is_assertion(parent.func) and node in parent.args:
            continue
        return False  # passed on, stored, returned, used in a with: it may be started elsewhere
    return True


def _is_assertion(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.startswith("assert")


def _unpicklable_sends(model: Module) -> Iterator[Tuple[ast.AST, str, bool]]:
    """What a child is handed that cannot be pickled where it is pickled: (where, the message, whether it is
    a value: a generator, a file, a lock, an object keeping one, MP108's; otherwise a function, MP101's)."""
    importing_only = not model.may_use(pitfalls.IMPORTING)
    for send in model.sends:
        if not send.pickled or _never_used(model, send):
            continue  # dill or cloudpickle (multiprocess, pathos, loky, joblib) carry lambdas and local functions
        # a pool's or an executor's tasks are pickled under every method; its initializer, like a Process's
        # target, travels in the worker Process's arguments: under spawn and forkserver only
        always = send.via in ("pool", "executor")
        sent = [(send.func, "function")] if send.func is not None else []
        for expr, what in [*sent, *[(a, "argument") for a in send.args]]:
            reason = _unpicklable(model, expr, send.scope)
            value = False
            if reason is None and expr is not send.func and isinstance(expr, ast.expr):
                reason = _unpicklable_value(model, expr, send.scope)
                value = True
            if reason is None and expr is not send.func and isinstance(expr, ast.expr):
                reason, value = _local_class_object(model, expr, send.scope), False
            if reason is None and expr is send.func and isinstance(expr, ast.Attribute):
                reason = _bound_to_unpicklable(model, expr, send.scope, send.call)
                value = reason is not None
            if reason is None:
                continue
            where = "under any start method" if always and "main block" not in reason else "under spawn and forkserver"
            pinned = send.method or (model.inherited_method(send.scope) if send.method is None else None)
            if (importing_only or pinned == "fork") and where != "under any start method":
                continue  # a context pinned to fork never pickles a Process's target (a pool's tasks it still does)
            if where != "under any start method" and _made_by_unread_context(model, send):
                continue  # its method cannot be read: unresolved, so silent
            role = {"process": "the target of a Process", "pool": "a Pool task", "executor": "an executor task",
                    "initializer": "a pool initializer"}[send.via]  # fmt: skip
            at = send.report if expr is send.func else expr
            if send.func is None and send.via == "process":
                role = "a Process"  # kept by a Process subclass, or handed on to one by a function
            what = role if expr is send.func else f"an argument of {role}"
            # a main-block function or a private method pickles: it is the child's unpickler that cannot find it
            fails = (
                "the child cannot unpickle it"
                if "main block" in reason or "private method" in reason
                else ("it cannot be pickled")
            )
            yield at, f"{reason} is passed as {what}: {fails} {where}", value


def _made_by_unread_context(model: Module, send: Send) -> bool:
    """Whether the Process ``send`` starts (or the pool whose initializer it hands over) is made through a
    context object whose start method lint cannot read: a name bound to contexts of different methods
    (glances's ``get_context('fork')`` on some platforms, ``get_context()`` on the others), one it cannot
    follow. Not the default context (``multiprocessing.Process``): its method is the platform's."""
    call = send.call
    if send.via not in ("process", "initializer") or not isinstance(call, ast.Call):
        return False
    func = call.func
    context: Optional[ast.expr] = None
    if isinstance(func, ast.Attribute) and model.kind_of(func.value, send.scope) == N.CONTEXT:
        context = func.value
    else:
        keywords = {k.arg: k.value for k in call.keywords}
        context = next((keywords[key] for key in N.CONTEXT_KEYWORDS if key in keywords), None)
    return context is not None and model.context_method(context, send.scope) is None


def _is_manager_class(model: Module, expr: ast.expr, scope: Scope) -> bool:
    """Whether ``expr`` names ``BaseManager`` or ``SyncManager``, or a class of the program derived from one."""
    info = model.resolve_class(expr, scope)
    if info is not None:
        return any(isinstance(b, str) and b in N.MANAGER_CLASSES for c in info.mro() for b in c.bases())
    return model.qual(expr, scope) in N.MANAGER_CLASSES


def _started_objects(model: Module) -> List[Tuple[ast.Call, ast.AST, Scope]]:
    """(the call that made the object, where it starts, the scope of that call) for each object the module starts:
    ``x.start()`` on a name bound to a call, or on ``self.x`` that one method of its class sets to one (aspine's
    manager, made in ``__init__`` and started in ``start()``), or ``with Maker(...):``."""
    out: List[Tuple[ast.Call, ast.AST, Scope]] = []
    for scope in [model.module, *model.scopes]:
        for node in scope.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "start":
                obj = node.func.value
                if isinstance(obj, ast.Attribute) and scope.cls is not None and scope.params and is_self(obj, scope):
                    stored = scope.cls.stored(obj.attr)
                    if len(stored) == 1 and isinstance(stored[0][1], ast.Call):
                        out.append((stored[0][1], node, stored[0][0]))
                    continue
                made = model.bound_value(obj, scope)
                if isinstance(made, ast.Call):
                    out.append((made, node, scope))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                made_here = [i.context_expr for i in node.items if isinstance(i.context_expr, ast.Call)]
                out += [(made, made, scope) for made in made_here]
    return out


def _registered_unpicklables(model: Module) -> Iterator[Tuple[ast.AST, str]]:
    """A lambda or local function registered with a manager class (``QueueManager.register("get_queue",
    callable=lambda: queue)``) whose manager the module then starts (``manager.start()``, ``with
    QueueManager(...)``): start() hands the registry to the server process it starts, pickled under spawn and
    forkserver (stance's ``_start()``: ``Can't pickle <function <lambda>>``, run; the classic distributed queue
    example fails so on Windows). The class is one of the program's derived from BaseManager or SyncManager,
    started anywhere in the module; or a name (a parameter) that the same function calls with ``address=`` or
    ``authkey=`` and starts. Not a manager only connected to (``connect()``) or served in this process
    (``get_server().serve_forever()``): no child; not one made with a context pinned to fork (``ctx=``), nor
    with one whose method cannot be read."""
    if not model.may_use(pitfalls.IMPORTING):
        return
    starts = None
    for scope in [model.module, *model.scopes]:
        for reg in scope.nodes:
            if not (isinstance(reg, ast.Call) and isinstance(reg.func, ast.Attribute) and reg.func.attr == "register"):
                continue
            callable_ = argument(reg, 1, "callable")
            reason = _unpicklable(model, callable_, scope) if callable_ is not None else None
            if callable_ is None or reason is None:
                continue
            owner = reg.func.value
            known = _is_manager_class(model, owner, scope)
            starts = _started_objects(model) if starts is None else starts
            for made, at, where in starts:
                if known:
                    info = model.resolve_class(owner, scope)
                    maker = where.model.resolve_class(made.func, where)
                    same = (info is not None and maker is not None and maker.node is info.node) or (
                        info is None and model.qual(made.func, where) == model.qual(owner, scope)
                    )
                else:  # a parameter: its manager made and started by the same function, after
                    same = (
                        where is scope and line_of(at) > line_of(reg) and ast.dump(made.func) == ast.dump(owner)
                        and any(k.arg in N.MANAGER_KEYWORDS for k in made.keywords)
                    )  # fmt: skip
                context = next((k.value for k in made.keywords if k.arg in N.CONTEXT_KEYWORDS), None)
                if not same or (context is not None and where.model.context_method(context, where) in ("fork", None)):
                    continue  # pinned to fork, or a context whose method cannot be read: silent
                fails = "the server cannot unpickle it" if "main block" in reason else "it cannot be pickled"
                yield (
                    callable_,
                    f"{reason} is registered with `{ast.unparse(owner)}`, whose manager starts at line {line_of(at)}: "
                    f"start() sends it to the manager's server process, and {fails} under spawn and forkserver",
                )
                break


def _local_class_kind(model: Module, cls: ast.ClassDef, scope: Scope) -> Tuple[Optional[str], Optional[ast.expr]]:
    """("Process" or "manager", the context its base comes from) when the local class ``cls`` derives from
    multiprocessing's Process (or a context's) or from BaseManager or SyncManager; (None, None) otherwise."""
    for base in cls.bases:
        if isinstance(base, ast.Attribute) and base.attr == "Process" and model.kind_of(base.value, scope) == N.CONTEXT:
            return "Process", base.value
        q = model.qual(base, scope) or ""
        if N.CONSTRUCTORS.get(q) == N.PROCESS:
            return "Process", None
        if q in N.MANAGER_CLASSES:
            return "manager", None
    return None, None


def _local_classes_started(model: Module) -> Iterator[Tuple[ast.AST, str]]:
    """An object of a class defined inside a function, derived from Process or from a manager class, that the
    function starts: start() pickles the Process object (a manager, its class's ``_run_server``) to the child
    under spawn and forkserver, and a local class is pickled by a name the child cannot look up (``Can't pickle
    local object 'main.<locals>.Worker'``, run; stance's ``ClassManager``; a Process subclass inside a test).
    Not one its function declares global, nor one made with a context pinned to fork or one whose method
    cannot be read."""
    if not model.may_use(pitfalls.IMPORTING):
        return
    starts: Optional[List[Tuple[ast.Call, ast.AST, Scope]]] = None
    for scope in model.scopes:
        local = {
            n.name: n for n in scope.nodes
            if isinstance(n, ast.ClassDef) and n.name not in scope.globals
        }  # fmt: skip
        if not local:
            continue
        starts = _started_objects(model) if starts is None else starts
        for made, at, where in starts:
            cls = local.get(made.func.id) if where is scope and isinstance(made.func, ast.Name) else None
            if cls is None:
                continue
            kind, base_context = _local_class_kind(model, cls, scope)
            if kind is None or (kind == "Process" and at is made):
                continue  # a Process is not started by a with block
            keywords = {k.arg: k.value for k in made.keywords}
            context = base_context or next((keywords[k] for k in N.CONTEXT_KEYWORDS if k in keywords), None)
            if context is not None and model.context_method(context, scope) in ("fork", None):
                continue  # pinned to fork, or a context whose method cannot be read: silent
            yield (
                made,
                f"`{cls.name}` (a class local to `{scope.name}()`) makes the {kind} started at line {line_of(at)}: "
                "start() pickles it to the child, and a local class cannot be pickled under spawn and forkserver",
            )


@rule("MP101", preview=True)
def unpicklable_target(model: Module) -> Iterator[Hit]:
    for at, message, value in _unpicklable_sends(model):
        if not value:
            yield at, message
    yield from _registered_unpicklables(model)
    yield from _local_classes_started(model)


# --- MP102 ---------------------------------------------------------------------------------------------
#: what a spawn or forkserver child that re-imports a module sees as its parent did: its command line (the
#: child is handed the parent's sys.argv), its environment, the interpreter and the platform
_SAME_IN_A_CHILD = frozenset({"sys.argv", "sys.platform", "sys.version_info", "sys.implementation", "os.name",
                              "os.environ", "sys.flags", "sys.maxsize", "sys.byteorder"})  # fmt: skip
_SAME_CALLS = frozenset(
    {"len", "int", "float", "str", "bool", "os.environ.get", "os.getenv", "platform.system", "isinstance", "hasattr"}
)


def _same_in_a_child(model: Module, test: ast.expr, depth: int = 2) -> bool:
    """Whether an import-time ``if`` test takes the value a re-importing child's takes too: it reads only
    literals, the parent's command line, environment, interpreter and platform, and module names bound once
    on import to such values (not a widget's state, a file's content, a call of anything else)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Call):
            if (
                not isinstance(node.func, (ast.Name, ast.Attribute))
                or model.qual(node.func, model.module) not in _SAME_CALLS
            ):
                return False
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            q = model.qual(node, model.module) or ""
            if (
                q.split(".")[0] in ("sys", "os", "platform")
                and not any(q == known or q.startswith(known + ".") for known in _SAME_IN_A_CHILD)
                and q not in _SAME_CALLS
            ):
                return False
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in model.imports or node.id in _SAME_CALLS or node.id in ("True", "False", "None", "__name__"):
                continue
            value = _import_time_value(model, node.id) if depth > 0 else None
            if value is None or not _same_in_a_child(model, value, depth - 1):
                return False
    return True


def _reached_on_every_import(model: Module, node: ast.AST) -> bool:
    """Whether a start made on import (``node``, at the module's top level or the call there that leads to
    it) happens whenever the module is imported, as far as the tests of its enclosing ``if`` statements
    show: each reads only what a re-importing child sees as its parent did (see :func:`_same_in_a_child`)."""
    own = {id(n) for n in model.module.nodes}
    for stmt, _ in model.enclosing(node):
        if isinstance(stmt, (ast.If, ast.While)) and id(stmt) in own and not _same_in_a_child(model, stmt.test):
            return False
    return True


@rule("MP102", preview=True)
def missing_main_guard(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP102"):
        return
    if _imported_by_tests(model) and not (model.main_block or model.entry_points or _unpickles_own(model)):
        return  # run by pytest or unittest, whose __main__ a spawn child re-imports: the child imports a test's
        #         module only to unpickle what it hands over (mpms's cloudpickled tasks load after start-up)
    seen: Set[int] = set()
    # with what a method of the program's object starts unconditionally (pyLIMA's example: ``fit = DEfit(...)``
    # then ``fit.fit()`` at the top level, whose Pool starts on every import)
    for event in [*model.paths[0].with_objects, *model.class_body_starts()]:
        if event.kind == "start" and not event.in_main_block and id(event.report) not in seen:
            if not _reached_on_every_import(model, event.report):
                continue  # under a test a re-importing child may answer otherwise (a Streamlit button): not certain
            if model.pinned_method(event.node, event.scope) == "fork":
                continue  # a fork child re-imports nothing (crosshair's probe through get_context("fork"))
            seen.add(id(event.report))
            what = {"call": "a call that starts a child process", "executor": "an executor task"}.get(
                event.detail, f"a {event.detail.capitalize()}"
            )
            if _imported_by_tests(model):  # a test module: the child imports it to unpickle, not as its __main__
                yield (
                    event.report,
                    f"{what} starts when this test module is imported: a spawn or forkserver child that unpickles "
                    "one of its functions imports it and starts one again (a Process: RuntimeError while it starts "
                    "up; a Pool's worker: 'daemonic processes are not allowed to have children', and the pool waits)",
                )
            elif model.main_block or "." not in model.file.name:
                yield event.report, f"{what} starts at import time, outside `if __name__ == '__main__':`"
            else:  # a module of a package, with no main block: not a script, a guard is not the fix
                yield (
                    event.report,
                    f"{what} starts when this module is imported: a spawn or forkserver child that imports it "
                    "(through the main script, or to unpickle a function of it) starts it again while it starts up",
                )


# --- MP103 ---------------------------------------------------------------------------------------------
def _only_under_fork(event: Event) -> bool:
    """Whether ``event`` happens only in the body of an ``if`` that asks whether the start method is fork
    (``if get_start_method() == "fork" and globvar:``, at's ``patpass()``: every other method is handed the
    value instead; run: right under all three). Its own node or the call that led to it."""
    for owner, node, scope in (
        (event.scope.model, event.node, event.scope),
        *((s.model, c, s) for c, s in event.calls),
    ):
        for stmt, arm in owner.enclosing(node):
            if not (isinstance(stmt, ast.If) and arm == 0):
                continue
            found = _method_compared(owner, stmt.test, scope, set()) or _method_compared_in_and(
                owner, stmt.test, scope, set()
            )
            if found == {"fork"}:
                return True
    return False


def _initializer_called(event: Event) -> Optional[ast.AST]:
    """The call, given as a pool's ``initializer=``, through which ``event`` happens: ``initializer=init(args)``
    runs ``init`` in the parent (valhalla's ``run_with_server.py``)."""
    for call, scope in event.calls:
        for node in scope.nodes:
            if isinstance(node, ast.Call) and any(k.arg == "initializer" and k.value is call for k in node.keywords):
                return call
    return None


@rule("MP103", preview=True)
def parent_runtime_state(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP103"):
        return
    child = sorted(model.child_side(), key=_where)  # the first reader in the source, every run
    reads: Dict[str, Tuple[Scope, ast.AST]] = {}
    readers: Dict[Tuple[Optional[str], str], List[Scope]] = {}  # (None, global) or (class, attribute)
    attr_reads: Set[Tuple[str, str]] = set()
    for scope in child:
        for name, read in model.global_reads(scope).items():
            reads.setdefault(name, (scope, read))
            readers.setdefault((None, name), []).append(scope)
        for node in scope.nodes:
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name):
                attr_reads.add((node.value.id, node.attr))
                readers.setdefault((node.value.id, node.attr), []).append(scope)
                if node.value.id in ("self", "cls") and scope.cls is not None:
                    attr_reads.add((scope.cls.node.name, node.attr))
                    readers.setdefault((scope.cls.node.name, node.attr), []).append(scope)
    for owner, attr, scope in _class_reads_through_handed_objects(model):  # ``config.SCALE``, config a Config
        attr_reads.add((owner, attr))
        readers.setdefault((owner, attr), []).append(scope)
    import_time = _import_time_bindings(model)
    own_readers = {key: [r for r in found if r.model is model] for key, found in readers.items()}
    tables = _import_time_tables(model)
    flagged_tables: Set[str] = set()
    for i, event in enumerate(model.events):
        if not event.in_main_block or _starts_after(_script_events_after(model, i), -1) is None:
            continue
        if event.kind == "attr_mutate":
            table = _class_table(model, event)
            if table is not None and f"{table[0].name}.{table[1]}" not in flagged_tables:
                info, attr, what = table
                fills = _class_table_filler(info, attr)
                reader = _unset_reader(model, _unpinned_sends_after(model, i), (info.name, attr), own_readers, fills)
                if reader is not None:
                    flagged_tables.add(f"{info.name}.{attr}")
                    yield (
                        event.report,
                        (
                            f"class-level {what} `{info.name}.{attr}` is changed in place in the main path, read in a "
                            f"child by `{reader.name}()`: spawn and forkserver children see it as importing the module "
                            "left it"
                        ),
                    )
            continue
        if (
            event.kind == "mutate" and event.detail in tables and event.detail not in flagged_tables
            and event.scope.model is model and not _filled_on_import(model, event.detail)
        ):  # fmt: skip
            name = event.detail
            if _saves_signal_handler(model, event):
                continue  # a handler the parent replaces, kept so a fork child can put it back: a fresh import has it
            reader = _unset_reader(model, _unpinned_sends_after(model, i), (None, name), own_readers, _fills)
            if reader is not None:
                flagged_tables.add(name)
                yield (
                    event.report,
                    (
                        f"module-level {tables[name]} `{name}` is changed in place in the main path, read in a child "
                        f"by `{reader.name}()`: spawn and forkserver children see it as importing the module left it"
                    ),
                )
            continue
        if event.kind == "assign" and event.detail in reads:
            if _same_as_on_import(model, event):
                continue  # ``LIMIT = 10`` again: a spawn or forkserver child's import binds an equal value
            if _only_under_fork(event):
                continue  # ``if get_start_method() == "fork": GLOBAL = ...``: set only where the children inherit it
            # a pool pinned to fork has it (fairchem's ``get_context("fork").Pool``, kept for Python 3.14's default)
            later = _unpinned(model, _sends_after(model, i))
            reader = _unset_reader(model, later, (None, event.detail), _of_module(readers, event))
            if reader is None:
                continue
            called = _initializer_called(event)
            at = event.report if called is None else called
            by = "" if called is None else (
                f" by `{ast.unparse(called)}`, called here in the parent (the pool's initializer is what it returns: "
                "None)"
            )  # fmt: skip
            if event.detail in import_time:
                yield (
                    at,
                    (
                        f"global `{event.detail}` is reassigned in the main path{by}, read in a child by "
                        f"`{reader.name}()`: spawn and forkserver children see its import-time value"
                    ),
                )
            else:
                yield (
                    at,
                    (
                        f"global `{event.detail}` is set only in the main path{by}, read in a child by "
                        f"`{reader.name}()`: it is undefined in spawn and forkserver children"
                    ),
                )
        elif event.kind == "import" and event.detail in reads and event.detail not in import_time:
            later = _unpinned(model, _sends_after(model, i))
            reader = _unset_reader(model, later, (None, event.detail), _of_module(readers, event))
            if reader is None:
                continue
            yield (
                event.report,
                (
                    f"`{event.detail}` is imported only in the main block and used by `{reader.name}()` in a child: "
                    "it is undefined in spawn and forkserver children"
                ),
            )
        elif (
            event.kind == "fill"
            and event.scope.model is model
            and _plain_object(model, event.detail, "") == "namespace"
        ):
            # every attribute a child reads of the object the parser filled (optparse's Values, argparse's Namespace)
            owner = event.detail
            later = _unpinned_sends_after(model, i)
            for key in sorted(k for k in attr_reads if k[0] == owner and not k[1].startswith("__")):
                reader = _unset_reader(model, later, key, own_readers, _sets_or_sets_through_method)
                if reader is not None:
                    yield (
                        event.report,
                        (
                            f"`{owner}` is filled by the parser in the main path (`{owner}.{key[1]}`, read in a child "
                            f"by `{reader.name}()`): spawn and forkserver children see the object as importing the "
                            "module made it"
                        ),
                    )
                    break
        elif event.kind == "attr_assign" and isinstance(event.node, ast.Attribute):
            owner, attr = event.detail, event.node.attr
            through = ""
            if _is_classmethod_cls(event.scope, owner):  # ``cls.attr = ...`` in a classmethod: the class's own
                assert event.scope.cls is not None
                owner = event.scope.cls.name
                through = f" (or a subclass's, through `cls` in `{event.scope.name}()`)"
            patched = f"{model.imports.get(owner)}.{attr}"
            carried = patched in _CARRIED or (
                patched.startswith("sys.") and not _sys_read_in_child(model, _sends_after(model, i), patched)
            )
            if owner in model.module_names and model.lookup_scope(owner, event.scope).is_module and not carried:
                later = _sends_after(model, i)
                if later and not _unpinned(model, later):
                    continue  # every child after it is a fork child, a copy that has the patch (ppanggolin's)
                if _set_again_by_all(model, later, (owner, attr)):
                    continue  # every child started after it patches the module again itself (an initializer)
                own = model.program.find_module(model.imports[owner], model.file)
                if own is not None and not _module_attr_read(model, _sends_after(model, i), own, attr):
                    continue  # the program's own module: only a child that reads the attribute sees the difference
                if (
                    own is None and _new_library_attribute(model.imports[owner], attr)
                    and not _library_attr_read(model, _sends_after(model, i), patched)
                ):  # fmt: skip
                    continue  # a name the library never uses (PanACoTA's ``logging.DETAIL``): only readers see it
                yield (
                    event.report,
                    (
                        f"`{owner}.{attr}` is monkeypatched in the main path: spawn and forkserver children import "
                        f"`{model.imports[owner]}` afresh, unpatched"
                    ),
                )
            elif (
                owner not in model.module_names and owner not in model.classes and event.scope.model is model
                and (owner, attr) in attr_reads and model.lookup_scope(owner, event.scope).is_module
                and _plain_object(model, owner, attr) is not None
            ):  # fmt: skip
                key = (owner, attr)
                reader = _unset_reader(
                    model, _unpinned_sends_after(model, i), key, own_readers, _sets_or_sets_through_method
                )
                if reader is not None:
                    yield (
                        event.report,
                        (
                            f"`{owner}.{attr}` is set in the main path on the module-level "
                            f"{_plain_object(model, owner, attr)} `{owner}`, read in a child by `{reader.name}()`: "
                            "spawn and forkserver children see the object as importing the module made it"
                        ),
                    )
            elif (
                owner in model.classes
                and (owner, attr) in attr_reads
                and _unset_reader(model, _sends_after(model, i), (owner, attr), readers) is not None
            ):
                yield (
                    event.report,
                    (
                        f"class attribute `{owner}.{attr}`{through} is set in the main path and read in a child: "
                        "spawn and forkserver children see its import-time value"
                    ),
                )
    yield from _tables_changed_in_tests(model, own_readers)
    yield from _patching_helpers(model, attr_reads)
    yield from _globals_set_in_methods(model, readers, import_time)
    yield from _globals_set_in_functions_another_module_calls(model, readers, import_time)
    yield from _registries_filled_by_an_import(model, {n for n in reads if n not in import_time})
    yield from _registries_a_test_module_fills(model)


def _class_reads_through_handed_objects(model: Module) -> Iterator[Tuple[str, str, Scope]]:
    """(class, attribute, the child's function) for a class attribute a child's function reads through the object
    it is handed (``Process(target=work, kwargs=dict(config=cfg))`` after ``cfg = Config()``, and ``work`` reads
    ``config.SCALE``): a pickled object carries its own attributes, not its class's, so the child reads the class
    attribute as importing the module left it. Only where that is certain: every child the function is handed to
    gets an object of the same class of the module, made there (``Config(...)``), with no library base, no
    pickling or attribute hooks, and no code of the module that sets that attribute on an object
    (``self.SCALE = ...``, ``cfg.SCALE = ...``, ``setattr``, ``vars(self).update``); the attribute is bound in
    the body of the class or a base of it; the function does not rebind the parameter."""
    found: Dict[Tuple[Scope, str], Optional[ClassInfo]] = {}
    for send in model.sends:
        root = send.root
        if root is None or root.model is not model or root.cls is not None or send.func is None:
            continue
        pinned = model.send_method(send) == "fork"  # a copy of the parent: the class as the parent changed it
        for param, value in _handed(model, send, root).items():
            made = model.bound_value(value, send.scope) if isinstance(value, ast.Name) else value
            info = model.resolve_class(made.func, send.scope) if isinstance(made, ast.Call) else None
            key = (root, param)
            if key in found and found[key] is not info:
                info = None
            found[key] = info if info is not None and info.model is model and not pinned else None
        for param in root.params:  # handed to it elsewhere in a way not read here: cannot tell
            if (root, param) not in found:
                found[(root, param)] = None
    for (root, param), info in found.items():
        if info is None or any(
            isinstance(n, ast.Name) and n.id == param and isinstance(n.ctx, (ast.Store, ast.Del)) for n in root.nodes
        ):
            continue
        methods = {m: s for c in reversed(info.mro()) for m, s in c.methods.items()}  # (the first class's wins)
        for attr in {
            n.attr for n in root.nodes
            if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load) and _is_name(n.value, param)
        }:  # fmt: skip
            if attr in methods:  # ``model.step()``: what the method reads of its own object (neuronumba#28)
                for owner, attr_ in _self_class_reads(model, info, methods, methods[attr], []) or []:
                    yield owner, attr_, root
                continue
            owners = _class_attribute_owners(model, info, attr)
            for owner in owners:
                yield owner, attr, root


def _self_class_reads(
    model: Module, info: ClassInfo, methods: Dict[str, Scope], method: Scope, followed: List[Scope]
) -> Optional[List[Tuple[str, str]]]:
    """(class, attribute) for each class attribute that ``method`` of an object of class ``info`` reads
    through its ``self``, following the methods it calls on it (three deep); None where it does anything else
    with ``self`` (hands it on, ``type(self)``), which is not followed."""
    if method in followed or len(followed) > 3:
        return []
    followed.append(method)
    if not method.params or any(isinstance(d, ast.Name) and d.id in ("classmethod", "staticmethod")
                                for d in method.decorators()):  # fmt: skip
        return None
    me = method.params[0]
    parents = {id(child): node for node in method.nodes for child in ast.iter_child_nodes(node)}
    found: List[Tuple[str, str]] = []
    for node in method.nodes:
        if not (isinstance(node, ast.Name) and node.id == me):
            continue
        parent = parents.get(id(node))
        if not isinstance(parent, ast.Attribute) or isinstance(node.ctx, (ast.Store, ast.Del)):
            return None  # handed on, rebound
        if not isinstance(parent.ctx, ast.Load):
            continue  # ``self.x = ...``: its own attribute
        if parent.attr in methods:
            inner = _self_class_reads(model, info, methods, methods[parent.attr], followed)
            if inner is None:
                return None
            found += inner
        else:
            found += [(owner, parent.attr) for owner in _class_attribute_owners(model, info, parent.attr)]
    return found


def _handed(model: Module, send: Send, root: Scope) -> Dict[str, ast.expr]:
    """The parameters of ``root`` that ``send`` (a Process, a pool's ``apply``/``apply_async``, an executor's
    ``submit``) of a library that pickles with pickle hands a value, each with the expression given; empty where
    it cannot be told (dill and cloudpickle pickle a class of ``__main__`` by value, its attributes with it)."""
    call, func = send.call, send.call.func
    node = root.node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {}
    args: Optional[ast.expr] = None
    kwargs: Optional[ast.expr] = None
    positional: List[ast.expr] = []
    keywords: Dict[str, ast.expr] = {}
    if N.lib_of(send.kind).pickler != "pickle" or not send.pickled:
        return {}
    if send.via == "process" and model.kind_of(call, send.scope) == N.PROCESS:  # not torch's spawn(fn, args)
        args, kwargs = model.argument(call, 2, "args"), model.argument(call, 3, "kwargs")
    elif send.via == "pool" and isinstance(func, ast.Attribute) and func.attr in ("apply", "apply_async"):
        args, kwargs = model.argument(call, 1, "args"), model.argument(call, 2, "kwds")
    elif send.via == "executor" and isinstance(func, ast.Attribute) and func.attr == "submit":
        positional = list(call.args[1:])
        keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        if len(keywords) != len(call.keywords):
            return {}
    elif (
        send.via in ("pool", "executor") and isinstance(func, ast.Attribute) and len(call.args) == 2
        and func.attr in ("map", "map_async", "imap", "imap_unordered")
    ):  # fmt: skip
        element = _element_made(model, call.args[1], send.scope)  # ``map(simulate, [Hopf(g=g) for g in gs])``
        if element is None:
            return {}
        positional = [element]
    else:
        return {}
    if args is not None:
        if not isinstance(args, (ast.Tuple, ast.List)):
            return {}
        positional = list(args.elts)
    if kwargs is not None:
        if isinstance(kwargs, ast.Dict) and all(isinstance(k, ast.Constant) for k in kwargs.keys):
            keywords = {str(k.value): v for k, v in zip(kwargs.keys, kwargs.values) if isinstance(k, ast.Constant)}
        elif isinstance(kwargs, ast.Call) and _is_name(kwargs.func, "dict") and not kwargs.args:
            keywords = {k.arg: k.value for k in kwargs.keywords if k.arg is not None}
            if len(keywords) != len(kwargs.keywords):
                return {}
        else:
            return {}
    if any(isinstance(a, ast.Starred) for a in positional):
        return {}
    names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    handed = dict(zip(names, positional))
    handed.update((k, v) for k, v in keywords.items() if k in names or k in [a.arg for a in node.args.kwonlyargs])
    return handed


def _element_made(model: Module, iterable: ast.expr, scope: Scope) -> Optional[ast.expr]:
    """The one expression that makes every element of ``iterable`` (a list, tuple or set display whose elements
    are alike, or a comprehension's element), where ``iterable`` is one or names one bound once; else None."""
    made = model.bound_value(iterable, scope) if isinstance(iterable, ast.Name) else iterable
    if isinstance(made, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return made.elt
    if isinstance(made, (ast.List, ast.Tuple, ast.Set)) and made.elts:
        dumped = {ast.dump(e.func) if isinstance(e, ast.Call) else "" for e in made.elts}
        return made.elts[0] if len(dumped) == 1 and "" not in dumped else None
    return None


def _class_attribute_owners(model: Module, info: ClassInfo, attr: str) -> List[str]:
    """The classes of ``info``'s MRO up to the one whose body binds ``attr``, where reading ``attr`` on an object
    of ``info`` made in the parent surely reads that class attribute in a child (see
    :func:`_class_reads_through_handed_objects`); else none."""
    mro = info.mro()
    if any(isinstance(b, str) and b != "object" for c in mro for b in c.bases()):
        return []
    hooks = ("__getattr__", "__getattribute__", "__setattr__", "__slots__", "__set_name__", *PICKLE_HOOKS)
    if any(h in c.methods or h in c.class_attrs for c in mro for h in hooks):
        return []
    if any(kw.arg == "metaclass" for c in mro for kw in c.node.keywords):
        return []
    classmethods = {id(m) for c in mro for m in c.methods.values() if m.params and _is_classmethod_cls(m, m.params[0])}
    if any(_sets_own(m, attr) for c in mro for m in c.methods.values() if id(m) not in classmethods):
        return []
    names = {c.name for c in mro}
    through_cls = {
        id(n) for c in mro for m in c.methods.values() if id(m) in classmethods
        for n in m.nodes if isinstance(n, ast.Attribute) and _is_name(n.value, m.params[0])
    }  # fmt: skip
    for node in ast.walk(model.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.attr == attr:
            if not (isinstance(node.value, ast.Name) and node.value.id in names) and id(node) not in through_cls:
                return []  # set on an object (or a class through ``type(self)``): cannot tell
        elif isinstance(node, ast.Call) and _is_name(node.func, "setattr"):
            return []
    owners: List[str] = []
    for c in mro:
        owners.append(c.name)
        if attr in c.class_attrs:
            return owners if attr not in c.methods else []
    return []


def _class_table(model: Module, event: Event) -> Optional[Tuple[ClassInfo, str, str]]:
    """The class of this module, its attribute and which table it is ("dict", "list", "set"), that the
    ``attr_mutate`` ``event`` changes in place (``cls.registry[name] = factory`` in a classmethod, or
    ``Registry.plugins.append(...)``): bound in the body of a class defined on import to a new table, never
    rebound, no library base, metaclass or ``__init_subclass__``, and nothing the module runs on import
    changes it (:func:`_class_table_filled_on_import`); else None."""
    owner, _, attr = event.detail.partition(".")
    scope = event.scope
    if scope.model is not model:
        return None
    if _is_classmethod_cls(scope, owner):
        info = scope.cls
    elif model.lookup_scope(owner, scope).is_module:
        info = model.classes.get(owner)
    else:
        return None
    if (
        info is None
        or info.node not in model.tree.body
        or info.node.keywords
        or any(b != "object" for b in info.bases())
    ):
        return None
    if "__init_subclass__" in info.methods or "__class_getitem__" in info.methods:
        return None
    value = info.class_attrs.get(attr)
    what = _TABLE_LITERALS.get(type(value)) if value is not None else None
    if isinstance(value, ast.Call) and not value.args:
        what = _TABLE_MAKERS.get(model.qual(value.func, model.module) or "")
    if what is None or attr in info.methods:
        return None
    if any(isinstance(n, ast.Attribute) and isinstance(n.ctx, (ast.Store, ast.Del)) and n.attr == attr
           for n in ast.walk(model.tree)):  # fmt: skip
        return None  # rebound somewhere (on the class, a subclass or an object): cannot tell
    if _class_table_filled_on_import(model, info, attr):
        return None
    return info, attr, what


def _changes_class_table(scope: Scope, info: ClassInfo, attr: str) -> bool:
    """Whether ``scope`` changes class ``info``'s table ``attr`` in place (through the class's name, or ``cls``
    in a classmethod of it)."""
    for node in scope.nodes:
        holder: Optional[ast.expr] = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            holder = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in N.TABLE_FILLERS:
            holder = node.func.value
        if not (isinstance(holder, ast.Attribute) and holder.attr == attr and isinstance(holder.value, ast.Name)):
            continue
        name = holder.value.id
        if _is_classmethod_cls(scope, name) and scope.cls is info:
            return True
        if name == info.name and scope.model is info.model and scope.model.lookup_scope(name, scope).is_module:
            return True
    return False


def _class_table_filler(info: ClassInfo, attr: str) -> Callable[[Scope, Tuple[Optional[str], str]], bool]:
    """What filling class ``info``'s table ``attr`` in the child is (see :func:`_unset_reader`): rebinding it,
    or changing it in place (``cls.registry.update(registry)`` in an initializer: the PR's fix)."""

    def fills(scope: Scope, key: Tuple[Optional[str], str]) -> bool:
        return _sets(scope, key) or _changes_class_table(scope, info, attr)

    return fills


def _class_table_filled_on_import(model: Module, info: ClassInfo, attr: str) -> bool:
    """Whether importing the module may change class ``info``'s table ``attr`` (every child that imports it does
    the same): its code outside the main block (class bodies, decorators and default values included) changes it,
    or calls or names a function of the module or a method of its classes that does, directly or not."""
    writers = {s for s in model.scopes if _changes_class_table(s, info, attr)}
    named: List[Scope] = []
    todo: List[ast.AST] = list(import_time_statements(model.tree))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            todo += [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            holder = node.value
            if isinstance(holder, ast.Attribute) and holder.attr == attr and _is_name(holder.value, info.name):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in N.TABLE_FILLERS:
            holder = node.func.value
            if isinstance(holder, ast.Attribute) and holder.attr == attr and _is_name(holder.value, info.name):
                return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in model.module.defs:
            named.append(model.module.defs[node.id])
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in model.classes:
            method = model.classes[node.value.id].method(node.attr)
            if method is not None:
                named.append(method)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in model.classes:
            named += model.classes[node.id].methods.values()  # made on import: its __init__, or anything it runs
        todo.extend(ast.iter_child_nodes(node))
    return bool(writers & model.reach(named))


def _of_module(
    readers: Dict[Tuple[Optional[str], str], List[Scope]], event: Event
) -> Dict[Tuple[Optional[str], str], List[Scope]]:
    """The readers of the global ``event`` binds that read it in the module it binds it in: a function of
    another module that reads a global of the same name reads its own module's (meson's main block sets the
    script's ``options``; its child reads ``mesonbuild.cmdline``'s, a module that one imports)."""
    key = (None, event.detail)
    return {key: [r for r in readers.get(key, []) if r.model is event.scope.model]}


def _unset_reader(
    model: Module,
    later: Iterable[Tuple[ast.AST, Tuple[Scope, ...]]],
    key: Tuple[Optional[str], str],
    readers: Dict[Tuple[Optional[str], str], List[Scope]],
    sets: Optional[Callable[[Scope, Tuple[Optional[str], str]], bool]] = None,
) -> Optional[Scope]:
    """The first function reading ``key`` (a global, or a class's attribute) in a child that one of the sends
    ``later`` (each a call and the functions it sends) makes, where that child does not set it again itself
    (None: there is none). Per send: its own functions (a Process's target), and the initializer of the pool
    or executor its tasks go to; an initializer elsewhere in the file sets nothing in this child. ``sets``
    says what setting it again is (:func:`_sets` by default; :func:`_fills` for a table)."""
    sets = sets or _sets
    for call, roots in later:
        reached = model.reach(roots)
        reader = next((r for r in readers.get(key, []) if r in reached), None)
        if reader is None:
            continue
        own = reached | model.reach(_initializers_of(model, call))
        if not any(sets(scope, key) for scope in own):
            return reader
    return None


def _unpinned_sends_after(
    model: Module, index: int, events: Optional[List[Event]] = None
) -> List[Tuple[ast.AST, Tuple[Scope, ...]]]:
    """:func:`_sends_after` (along ``events``, the script's by default), but for the sends whose every child a
    context pinned to fork starts (a fork child is a copy of the parent: it has what the parent changed), and for
    tasks of a pool made before ``index`` (its workers started then, under every method: none has the change).
    The script's path includes what a method of an object of the program's the main path calls starts every time
    it runs (:func:`_script_events_after`: pyphi's ``MapReduce(cuts).run()``)."""
    if events is None:
        path = model.paths[0]
        event = model.events[index]
        events, index = path.with_objects, next(k for k, e in enumerate(path.with_objects) if e is event)
    made_before = {id(e.node) for e in events[:index] if e.kind == "start"}
    sends = [(e.node, e.roots) for e in events[index + 1 :] if e.kind == "send"]
    return [
        (call, roots) for call, roots in _unpinned(model, sends)
        if not any(id(m) in made_before for m in _pools_of(model, call))
    ]  # fmt: skip


def _pools_of(model: Module, call: ast.AST) -> List[ast.Call]:
    """The ``Pool(...)`` calls that made the pools the tasks ``call`` sends go to (their workers start there)."""
    found = []
    for send in model.sends_at(call):
        func = send.call.func
        if send.via == "pool" and isinstance(func, ast.Attribute):
            maker = model.pool_maker(func.value, send.call, send.scope)
            if maker is not None:
                found.append(maker)
    return found


#: what makes a table when a module is imported (``TASKS = {}``, ``HANDLERS = defaultdict(list)``)
_TABLE_MAKERS = {
    "dict": "dict", "list": "list", "set": "set", "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict", "collections.Counter": "dict", "collections.deque": "list",
}  # fmt: skip
_TABLE_LITERALS = {ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.ListComp: "list", ast.Set: "set",
                   ast.SetComp: "set"}  # fmt: skip


def _module_bindings(model: Module, name: str) -> List[Tuple[Scope, ast.AST]]:
    """Every place that binds module-level ``name``: in the module's code, or in a function declaring it global."""
    found: List[Tuple[Scope, ast.AST]] = []
    for scope in [model.module, *model.scopes]:
        if scope.is_module or name in scope.globals:
            found += [(scope, node) for node in scope.nodes if _binds(node, name)]
    return found


def _binds(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Name):
        return isinstance(node.ctx, (ast.Store, ast.Del)) and node.id == name
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((a.asname or a.name).split(".")[0] == name for a in node.names)
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name


def _import_time_value(model: Module, name: str) -> Optional[ast.expr]:
    """The value module-level ``name`` is bound to, when the module binds it once, on import, by an
    assignment of the module's own code (outside the main block), and nothing rebinds it; else None."""
    bound = _module_bindings(model, name)
    if len(bound) != 1 or not bound[0][0].is_module:
        return None
    main = {id(n) for stmt in model.main_block for n in ast.walk(stmt)}
    for stmt in model.tree.body:
        if id(stmt) in main:
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        if len(targets) == 1 and targets[0] is bound[0][1]:
            return getattr(stmt, "value", None)
    return None


def _import_time_tables(model: Module, events: Optional[List[Event]] = None) -> Dict[str, str]:
    """Module-level names changed in place on the run-time part of ``events`` (the script's by default) that are
    bound once, on import, to a new dict, list or set (and never rebound): name -> which."""
    found: Dict[str, str] = {}
    for name in {
        e.detail for e in (model.events if events is None else events) if e.kind == "mutate" and e.in_main_block
    }:
        value = _import_time_value(model, name)
        what = _TABLE_LITERALS.get(type(value)) if value is not None else None
        if isinstance(value, ast.Call) and not value.args:
            what = _TABLE_MAKERS.get(model.qual(value.func, model.module) or "")
        elif isinstance(value, ast.Call) and model.qual(value.func, model.module) == "collections.defaultdict":
            what = "dict"
        if what is not None:
            found[name] = what
    return found


def _changes(nodes: Iterable[ast.AST], name: str) -> bool:
    """Whether ``nodes`` change table ``name`` in place (``name[key] = ...``, ``name.append(...)``)."""
    for node in nodes:
        if (
            isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del))
            and _is_name(node.value, name)
        ) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_name(node.func.value, name)
            and node.func.attr in N.TABLE_FILLERS
        ):  # fmt: skip
            return True
    return False


def _fills(scope: Scope, key: Tuple[Optional[str], str]) -> bool:
    """Whether ``scope`` sets module-level table ``key[1]`` itself: rebinds it or changes it in place."""
    name = key[1]
    if _sets(scope, key):
        return True
    return scope.model.lookup_scope(name, scope).is_module and _changes(scope.nodes, name)


def _filled_on_import(model: Module, name: str) -> bool:
    """Whether importing the module may change table ``name`` in place (every child that imports it does the
    same): the module's code outside the main block (a class body too) changes it, or calls or names a function
    that does (``@task`` on a function defined on import: the registry a decorator fills), or a method does
    (``__init_subclass__``, a registry class's: when it runs cannot be told)."""
    if any(e.kind == "mutate" and e.detail == name and not e.in_main_block for e in model.events):
        return True
    writers = {s for s in model.scopes if model.lookup_scope(name, s).is_module and _changes(s.nodes, name)}
    if any(w.cls is not None for w in writers):
        return True
    for w in list(writers):
        while w.parent is not None:  # a decorator factory's inner function: the factory is what is named
            w = w.parent
            writers.add(w)
    named: List[Scope] = []
    for node in _import_time_code(model):
        if _changes([node], name):
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in model.module.defs:
            named.append(model.module.defs[node.id])
    return bool(writers & model.reach(named))


def _tables_changed_in_tests(model: Module, readers: Dict[Tuple[Optional[str], str], List[Scope]]) -> Iterator[Hit]:
    """MP103's table shape along the tests of a test module (the test's body and its ``setUp``): a module-level
    table of the test module changed in place there before a child that reads it (a spawn or forkserver child
    imports the test module afresh: pytest's changes are not in it)."""
    if not is_test_file(model.file.path):
        return
    flagged: Set[str] = set()
    for path in model.paths:
        if path.kind != "test":
            continue
        events = path.events
        tables = _import_time_tables(model, events)
        for i, event in enumerate(events):
            name = event.detail
            if event.kind != "mutate" or not event.in_main_block or name not in tables or name in flagged:
                continue
            if event.scope.model is not model or _starts_after(events, i) is None or _filled_on_import(model, name):
                continue
            reader = _unset_reader(model, _unpinned_sends_after(model, i, events), (None, name), readers, _fills)
            if reader is not None:
                flagged.add(name)
                yield (
                    event.report,
                    (
                        f"module-level {tables[name]} `{name}` is changed in place in the test `{path.name}`, read in "
                        f"a child by `{reader.name}()`: spawn and forkserver children see it as importing the module "
                        "left it"
                    ),
                )


def _registries_filled_by_an_import(model: Module, flagged_imports: Set[str]) -> Iterator[Hit]:
    """A module of the program imported only in the main path whose import fills a table of another module (a
    decorator of a task library: ``@task`` puts each function in ``tasklib.TASKS``), before a child that reads
    that table and never imports the module: a spawn child imports the script again (its code outside the main
    block), the modules of what it is sent, and what those import on import; a forkserver child, what its server
    imported (the script) and what it is sent. Said only where that can be told: the child is sent plain data
    besides its function, its own code imports nothing, fills no such table, and no module it imports imports by
    a computed name (``importlib.import_module(name)``). ``flagged_imports``: names the import branch of
    MP103 already reports."""
    if any(isinstance(n, ast.Attribute) and n.attr == "set_forkserver_preload" for n in ast.walk(model.tree)):
        return  # a fork server that preloads modules may import it: its children have the entries
    for i, event in enumerate(model.events):
        node = event.node
        if event.kind != "import" or not event.in_main_block or event.scope.model is not model:
            continue
        if event.detail in flagged_imports or not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for plugin in _imported_files(model, node):
            fills = _import_fills(model, plugin)
            if not fills:
                continue
            for call, roots in _unpinned_sends_after(model, i):
                found = _unfilled_reader(model, call, roots, fills, plugin)
                if found is not None:
                    (owner, table, how), reader = found
                    yield (
                        event.report,
                        (
                            f"`{plugin.name}` is imported only in the main path and its import fills `{owner}.{table}`"
                            f" ({how}), read in a child by `{reader.name}()`: spawn and forkserver children never "
                            f"import `{plugin.name}`, so the table lacks what it puts there"
                        ),
                    )
                    break
            else:
                continue
            break


def _registries_a_test_module_fills(model: Module) -> Iterator[Hit]:
    """A test module whose import fills a table of another module of the program (``@task`` on its functions:
    pytest imports it in the parent), and a test of it that starts a child that reads the table and never
    imports the test module (its ``__main__`` is pytest's; it imports the modules of what it runs): under the
    conditions of :func:`_registries_filled_by_an_import`."""
    if not is_test_file(model.file.path) or model.file.path.name == "conftest.py":
        return
    fills = _import_fills(model, model.file)
    if not fills or any(
        isinstance(n, ast.Attribute) and n.attr == "set_forkserver_preload" for n in ast.walk(model.tree)
    ):
        return
    for path in model.paths:
        if path.kind != "test":
            continue
        for event in path.events:
            if event.kind != "send" or not event.in_main_block or event.scope.model is not model:
                continue
            sends = model.sends_at(event.node)
            if sends and all(model.send_method(s) == "fork" for s in sends):
                continue
            found = _unfilled_reader(model, event.node, event.roots, fills, model.file, script=False)
            if found is not None:
                (owner, table, how), reader = found
                yield (
                    event.report,
                    (
                        f"importing this test module fills `{owner}.{table}` ({how}), read in a child by "
                        f"`{reader.name}()`: spawn and forkserver children never import the test module (pytest "
                        "imported it), so the table lacks what it puts there"
                    ),
                )
                break


def _imported_files(model: Module, node: ast.AST) -> List[SourceFile]:
    """The modules of the program an import statement imports (``import a.b``: ``a`` and ``a.b``; ``from a import
    b``: ``a``, and ``a.b`` when it is a module)."""
    names: List[str] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            names += [".".join(parts[: k + 1]) for k in range(len(parts))]
    elif isinstance(node, ast.ImportFrom):
        base = node.module if node.level == 0 else model.program.relative(model.file, node.level, node.module)
        if base:
            parts = base.split(".")
            names += [".".join(parts[: k + 1]) for k in range(len(parts))]
            names += [f"{base}.{a.name}" for a in node.names if a.name != "*"]
    found = [model.program.find_module(n, model.file) for n in names]
    return [f for f in dict.fromkeys(found) if f is not None and f is not model.file]


def _import_time_code(model: Module) -> Iterator[ast.AST]:
    """The nodes a module's import runs (:func:`~.parts.import_time_statements`), class bodies included (not the bodies
    of functions or lambdas: their decorators and default values)."""
    todo = import_time_statements(model.tree)
    while todo:
        stmt = todo.pop(0)
        for node in own_nodes([stmt]):
            if isinstance(node, ast.ClassDef):
                todo.extend(node.body)
            yield node


def _import_fills(model: Module, plugin: SourceFile) -> List[Tuple[Module, str, str]]:
    """The tables of other modules of the program that importing ``plugin`` fills: a decorator applied there (or a
    function called there) of another module, that changes a table of its module in place, itself or through a
    function it makes (``@app.task()``): (that module's model, the table, how)."""
    found: List[Tuple[Module, str, str]] = []
    other = model.program.model(plugin, model.file)
    if other is None:
        return found
    for node in _import_time_code(other):
        used: List[Tuple[ast.expr, str]] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            used += [(d.func if isinstance(d, ast.Call) else d, f"`@{ast.unparse(d)}` on `{node.name}`") for d in
                     node.decorator_list]  # fmt: skip
        elif isinstance(node, ast.Call):
            used.append((node.func, f"`{ast.unparse(node.func)}(...)`"))
        for expr, how in used:
            func = other.resolve_function(expr, other.module)
            if func is None or func.model is other or func.cls is not None:
                continue
            home = func.model
            for scope in [func, *_nested(func)]:
                for table in _tables_changed(scope):
                    if _table_kind(home, table) is not None:
                        found.append((home, table, how))
    return found


def _nested(scope: Scope) -> List[Scope]:
    out: List[Scope] = []
    for inner in scope.defs.values():
        out += [inner, *_nested(inner)]
    return out


def _tables_changed(scope: Scope) -> Set[str]:
    """The module-level names ``scope`` changes in place (``TASKS[name] = func``, ``TASKS.append(func)``)."""
    found = set()
    for node in scope.nodes:
        target = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            target = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in N.TABLE_FILLERS:
            target = node.func.value
        if isinstance(target, ast.Name) and scope.model.lookup_scope(target.id, scope).is_module:
            found.add(target.id)
    return found


def _table_kind(model: Module, name: str) -> Optional[str]:
    """dict, list or set: what module-level ``name`` is bound to, once, on import; else None."""
    value = _import_time_value(model, name)
    what = _TABLE_LITERALS.get(type(value)) if value is not None else None
    if isinstance(value, ast.Call):
        q = model.qual(value.func, model.module) or ""
        what = "dict" if q == "collections.defaultdict" else _TABLE_MAKERS.get(q) if not value.args else None
    return what


def _unfilled_reader(
    model: Module,
    call: ast.AST,
    roots: Tuple[Scope, ...],
    fills: List[Tuple[Module, str, str]],
    plugin: SourceFile,
    script: bool = True,
) -> Optional[Tuple[Tuple[str, str, str], Scope]]:
    """The table of ``fills`` that the child the send ``call`` makes reads, and its reader, where that child
    certainly never imports ``plugin``; else None."""
    sends = model.sends_at(call)
    if not sends or not all(_plain_data(model, a, s.scope) for s in sends for a in _sent_data(s)):
        return None
    for send in sends:  # a pool whose initializer cannot be read (``initializer=importlib.import_module``)
        func = send.call.func
        if send.via in ("pool", "executor") and isinstance(func, ast.Attribute):
            maker = model.pool_maker(func.value, send.call, send.scope)
            if maker is None or any(x.via == "initializer" and x.root is None for x in model.sends_at(maker)):
                return None
    reached = model.reach(roots)
    own = reached | model.reach(_initializers_of(model, call))
    for scope in own:
        if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in scope.nodes) or _imports_by_name(scope):
            return None  # the child's own code imports: it may import the module itself
    for home, table, how in fills:
        if any(table in _tables_changed(s) for s in own if s.model is home):
            continue  # the child fills it itself
        qual = f"{home.file.name}.{table}"
        reader = next(
            (
                s for s in sorted(reached, key=_where)
                if (s.model is home and table in s.model.global_reads(s))
                or any(isinstance(n, ast.Name) and s.model.qual(n, s) == qual for n in s.nodes)
            ),
            None,
        )  # fmt: skip
        if reader is None:
            continue
        imported = _spawn_imports(model, [s.model.file for s in own], script)
        if imported is None or plugin in imported:
            return None
        return (home.file.name, table, how), reader
    return None


def _sent_data(send: Send) -> List[ast.expr]:
    """What a send hands the child besides its function: every argument of the call but the function and what
    stays in the parent (a callback)."""
    call = send.call
    skip = {"target", "func", "fn", "callback", "error_callback", "initializer", "chunksize", "processes",
            "max_workers", "name", "daemon", "group", "timeout"}  # fmt: skip
    sent = [a for a in call.args if a is not send.func]
    sent += [k.value for k in call.keywords if k.arg not in skip and k.value is not send.func]
    return sent


def _plain_data(model: Module, expr: Optional[ast.expr], scope: Scope, depth: int = 0) -> bool:
    """Whether ``expr`` is data whose pickle names no module of the program: constants, containers of them, a
    name bound to one, a queue or lock of a process library."""
    if expr is None or isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Starred) or depth > 4:
        return False
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return all(_plain_data(model, e, scope, depth + 1) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(_plain_data(model, e, scope, depth + 1) for e in [*expr.keys, *expr.values] if e is not None)
    if isinstance(expr, ast.Name):
        if model.kind_of(expr, scope) is not None:
            return True
        value = model.bound_value(expr, scope)
        return value is not None and value is not expr and _plain_data(model, value, scope, depth + 1)
    return False


def _imports_by_name(scope: Scope) -> bool:
    """Whether ``scope`` imports a module by a name computed at run time."""
    for node in scope.nodes:
        if isinstance(node, ast.Call):
            q = scope.model.qual(node.func, scope) or ""
            if q in ("importlib.import_module", "__import__", "importlib.__import__") or q.startswith("pkgutil."):
                return True
    return False


#: the name of a library function that may import modules by name (a plugin loader, a task autodiscovery)
_LOADER_RE = re.compile(r"discover|import|plugin|entry_points|^load", re.IGNORECASE)


def _spawn_imports(model: Module, starts: List[SourceFile], script: bool = True) -> Optional[Set[SourceFile]]:
    """The modules of the program a spawn child imports: the script again (its import-time code), the modules of
    what it runs (``starts``), their packages, and what each of those imports on import, followed through the
    program's files; None when that cannot be told (a module imports by a computed name, or does not parse)."""
    program = model.program
    todo = [model.file, *starts] if script else list(starts)  # ``script``: ``model`` is the script (``__main__``)
    seen: Set[SourceFile] = set()
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        if len(seen) > 200:
            return None
        m = program.model(f, model.file)
        if m is None:
            return None
        parts = f.name.split(".")
        todo += [p for p in (program.find_module(".".join(parts[:k]), f) for k in range(1, len(parts))) if p]
        for node in _import_time_code(m):
            if isinstance(node, ast.Call):
                q = m.qual(node.func, m.module) or ""
                if q in ("importlib.import_module", "__import__", "importlib.__import__") or q.startswith("pkgutil."):
                    return None
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if _LOADER_RE.search(called) and m.resolve_function(node.func, m.module) is None:
                    return None  # a library's loader (``app.autodiscover_tasks()``): what it imports cannot be read
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                todo += _imported_files(m, node)
    return seen


def _plain_object(model: Module, owner: str, attr: str) -> Optional[str]:
    """What module-level ``owner`` is, when it is bound once, on import, to a new object whose attribute ``attr``
    is a plain one: of a class of the program with no library base, no ``__setattr__``/``__getattr__`` and no
    property or method ``attr``, or a ``types.SimpleNamespace``; else None (setting it may do anything)."""
    value = _import_time_value(model, owner)
    if not isinstance(value, ast.Call):
        return None
    if model.qual(value.func, model.module) in ("types.SimpleNamespace", "argparse.Namespace", "optparse.Values"):
        return "namespace"
    info = model.resolve_class(value.func, model.module)
    if info is None or info.model is not model:
        return None
    mro = info.mro()
    if any(isinstance(b, str) and b != "object" for c in mro for b in c.bases()):
        return None
    hooks = ("__setattr__", "__getattr__", "__getattribute__", "__set_name__", attr)
    if any(h in c.methods or h in c.class_attrs for c in mro for h in hooks):
        return None
    if any(kw.arg == "metaclass" for c in mro for kw in c.node.keywords):
        return None
    return "object"


def _set_again_by_all(model: Module, later: List[Tuple[ast.AST, Tuple[Scope, ...]]], key: Tuple[str, str]) -> bool:
    """Whether every child the sends ``later`` make sets ``key`` again itself (see :func:`_unset_reader`)."""
    return bool(later) and all(
        any(_sets(scope, key) for scope in model.reach(roots) | model.reach(_initializers_of(model, call)))
        for call, roots in later
    )


def _sends_after(model: Module, index: int) -> List[Tuple[ast.AST, Tuple[Scope, ...]]]:
    """The sends after the script's event ``index``: those reached through a method of an object of the program's
    class the main path calls included (``bench.run()`` whose Pool runs the tasks), where they happen every
    time the method runs (:func:`_script_events_after`)."""
    return [(e.node, e.roots) for e in _script_events_after(model, index) if e.kind == "send"]


def _script_events_after(model: Module, index: int) -> List[Event]:
    """The script path's events after its event ``index`` (of ``model.events``), with the starts and sends
    reached through a method of an object of the program's class the main path calls (``bench.run()``); of those,
    only what the method and the functions it calls do every time (not under an ``if``: a library's object that
    starts children as its configuration says)."""
    path = model.paths[0]
    event = model.events[index]
    at = next(k for k, e in enumerate(path.with_objects) if e is event)
    return path.with_objects[at + 1 :]


def _initializers_of(model: Module, call: ast.AST) -> List[Scope]:
    """The initializer of the pool or executor the tasks ``call`` sends (``pool.map(...)``) go to, resolved to
    the ``Pool(...)``/``ProcessPoolExecutor(...)`` call that made it; where that call cannot be told, every
    initializer of the file (it may be any of them: silent rather than wrong)."""
    found: List[Scope] = []
    for send in model.sends_at(call):
        if send.via not in ("pool", "executor") or not isinstance(send.call.func, ast.Attribute):
            continue
        maker = model.pool_maker(send.call.func.value, send.call, send.scope)
        if maker is None:
            return [s.root for s in model.sends if s.via == "initializer" and s.root is not None]
        found += [s.root for s in model.sends_at(maker) if s.via == "initializer" and s.root is not None]
    return found


def _sets(scope: Scope, key: Tuple[Optional[str], str]) -> bool:
    """Whether ``scope`` sets global ``key[1]`` (``key[0]`` None) or attribute ``key[1]`` of class ``key[0]``
    (``Settings.scale = ...``, or ``cls.scale = ...`` in a classmethod of it)."""
    owner, name = key
    for node in scope.nodes:
        if owner is None:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
                return name in scope.globals
        elif (
            isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr == name
            and isinstance(node.value, ast.Name)
            and (node.value.id == owner or (
                _is_classmethod_cls(scope, node.value.id) and scope.cls is not None and scope.cls.name == owner
            ))
        ):  # fmt: skip
            return True
        elif (
            isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr == name
            and scope.cls is not None and scope.params and _of_own_class(node.value, scope.params[0])
        ):  # fmt: skip
            return True  # ``type(self).scale = ...`` in a method: its object's class (this one, or a subclass)
    return False


def _sets_or_sets_through_method(scope: Scope, key: Tuple[Optional[str], str]) -> bool:
    """:func:`_sets`, or ``scope`` calls a method of module-level object ``key[0]`` (``config.load(values)``)
    whose code sets its attribute ``key[1]`` (:func:`_sets_own`): pyphi's fix, a worker's initializer loading
    the parent's configuration into its own object."""
    if _sets(scope, key):
        return True
    owner, attr = key
    if owner is None or not scope.model.lookup_scope(owner, scope).is_module:
        return False
    for node in scope.nodes:
        if _sets_attribute(node, owner):
            return True  # mytools' fix: ``FLAGS.__dict__.update(flags)`` in each child, before it reads them
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_name(node.func.value, owner):
            method = scope.model.resolve_function(node.func, scope, instances=True)
            if method is not None and method.cls is not None and _sets_own(method, attr):
                return True
    return False


def _sets_attribute(node: ast.AST, owner: str, attr: Optional[str] = None) -> bool:
    """Whether ``node`` sets attribute ``attr`` of the object the name ``owner`` holds (None: may set any, through
    its dict or a name the code does not spell): ``owner.attr = ...``, ``setattr(owner, name, ...)`` with that name
    or one the code does not spell, ``vars(owner).update(...)``, ``owner.__dict__.update(...)``,
    ``owner.__dict__[key] = ...``."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _is_name(node.value, owner):
        return node.attr in (attr, "__dict__")
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return _own_dict(node.value, owner)
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if _is_name(func, "setattr") and node.args and _is_name(node.args[0], owner):
        name = node.args[1] if len(node.args) > 1 else None
        return not (isinstance(name, ast.Constant) and name.value != attr)
    return isinstance(func, ast.Attribute) and func.attr in ("update", "setdefault") and _own_dict(func.value, owner)


def _sets_own(method: Scope, attr: str, depth: int = 0) -> bool:
    """Whether method ``method`` sets attribute ``attr`` of its own object (``self``, :func:`_sets_attribute`), or
    through another method of it that it calls (``self._store(n)``)."""
    if not method.params or method.cls is None or depth > 3:
        return False
    me = method.params[0]
    for node in method.nodes:
        if _sets_attribute(node, me, attr):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_name(node.func.value, me):
            callee = method.cls.method(node.func.attr)
            if callee is not None and callee is not method and _sets_own(callee, attr, depth + 1):
                return True
    return False


def _own_dict(expr: ast.expr, me: str) -> bool:
    """``vars(me)`` or ``me.__dict__``."""
    if isinstance(expr, ast.Call):
        return _is_name(expr.func, "vars") and len(expr.args) == 1 and _is_name(expr.args[0], me)
    return isinstance(expr, ast.Attribute) and expr.attr == "__dict__" and _is_name(expr.value, me)


def _of_own_class(holder: ast.expr, me: str) -> bool:
    """``type(me)`` or ``me.__class__``."""
    if isinstance(holder, ast.Call):
        return _is_name(holder.func, "type") and len(holder.args) == 1 and _is_name(holder.args[0], me)
    return isinstance(holder, ast.Attribute) and holder.attr == "__class__" and _is_name(holder.value, me)


def _is_classmethod_cls(scope: Scope, name: str) -> bool:
    """Whether ``name`` is the first parameter of a classmethod (``cls``): the class itself."""
    return (
        scope.cls is not None and bool(scope.params) and scope.params[0] == name
        and any(isinstance(d, ast.Name) and d.id == "classmethod" for d in scope.decorators())
    )  # fmt: skip


def _globals_set_in_functions_another_module_calls(
    model: Module, readers: Dict[Tuple[Optional[str], str], List[Scope]], import_time: Set[str]
) -> Iterator[Hit]:
    """A module-level function that sets a global of its module, then starts the children that read it (a
    Process started, or a Pool or executor made, after the global is set), where neither the module's import
    nor its main path calls the function: another module does (losoto's ``run()``, cosmosis's sampler), and
    whoever it is, a spawn or forkserver child imports this module afresh. A pool or executor made before the
    global is set, or handed in, runs tasks in workers that lack it under fork too: not one of these. Silent in
    a project another file of which names ``set_start_method``: a script that pins fork before it calls the
    function is not followed back to it."""
    reached = model.reach([model.module])
    pinned_elsewhere: Optional[bool] = None
    child = model.child_side()
    for name, scope in model.module.defs.items():
        if (
            scope in reached or scope in child or name.startswith("test")
            or not any(isinstance(n, ast.Global) for n in scope.nodes)
        ):  # fmt: skip
            continue
        events = model.inlined(scope, 0)
        for i, event in enumerate(events):
            if (
                event.kind != "assign" or event.through or event.scope.model is not model
                or (None, event.detail) not in readers or _same_as_on_import(model, event)
            ):  # fmt: skip
                continue
            made_after = {id(e.node) for e in events[i + 1 :] if e.kind == "start"}
            used_before = {  # the executors whose workers a task sent before started (a submit is a start)
                id(model.pool_maker(e.node.func.value, e.node, e.scope)) for e in events[:i]
                if e.kind == "start" and isinstance(e.node, ast.Call) and isinstance(e.node.func, ast.Attribute)
            }  # fmt: skip
            later = [
                (e.node, e.roots) for e in events[i + 1 :]
                if e.kind == "send" and _children_start_after(model, e.node, made_after, used_before)
            ]  # fmt: skip
            reader = _unset_reader(model, _unpinned(model, later), (None, event.detail), _of_module(readers, event))
            if reader is None:
                continue
            if pinned_elsewhere is None:
                program, here = model.program, model.program.project_of(model.file)
                pinned_elsewhere = any(
                    f.facts[2] for f in program.files if f is not model.file and program.project_of(f) == here
                )
            if pinned_elsewhere:
                return
            how = (
                "spawn and forkserver children see its import-time value"
                if event.detail in import_time
                else "it is undefined in spawn and forkserver children"
            )
            yield (
                event.report,
                f"global `{event.detail}` is set in `{name}()`, then read in a child it starts by `{reader.name}()`: "
                + how,
            )


def _children_start_after(model: Module, call: ast.AST, made_after: Set[int], used_before: Set[int]) -> bool:
    """Whether every child the send ``call`` reaches starts after the point ``made_after`` (the ``start`` events
    after it) stands for: a Process, the workers of a pool made there, or those of an executor made in the same
    function that no task was sent to before that point (``used_before``: its workers start at its first task);
    not a pool or executor handed in."""
    sends = model.sends_at(call)
    for send in sends:
        if send.via in ("pool", "executor"):
            if not isinstance(send.call.func, ast.Attribute):
                return False
            maker = model.pool_maker(send.call.func.value, send.call, send.scope)
            if maker is None:
                return False
            if send.via == "executor":
                if id(maker) in used_before or all(n is not maker for n in send.scope.nodes):
                    return False
            elif id(maker) not in made_after:
                return False
    return bool(sends)


def _globals_set_in_methods(
    model: Module, readers: Dict[Tuple[Optional[str], str], List[Scope]], import_time: Set[str]
) -> Iterator[Hit]:
    """A global of this module set in a method of an object of the program the main path calls
    (``server = Server(); server.start()``, whose ``start()`` sets the limit the workers read), before a
    child that reads it is handed its function: in that method, or after the call in the main path.
    The parent's paths do not inline methods of objects (a library's object brings starts its
    configuration decides), so this reads the method itself."""
    child = model.child_side()
    _ = model.sends
    callers: List[Tuple[Scope, List[ast.stmt]]] = [(model.module, model.main_block)]
    for call in own_nodes(model.main_block):  # and the functions the main block calls (``main()``)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            func = model.resolve_function(call.func, model.module)
            if func is not None and func.model is model and func.cls is None:
                callers.append((func, func.body()))
    seen: Set[int] = set()
    for scope, body in callers:
        for call in own_nodes(body):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            method = model.resolve_function(call.func, scope, instances=True)
            if method is None and isinstance(call.func.value, ast.Call):  # ``Server(...).start()``
                method = model._object_method(call, scope)
            if method is None or method.cls is None or method.model is not model or method in child:
                continue
            instance = _instance_class(model, call, scope, method)
            for node in method.nodes:
                if instance is not None and id(node) not in seen:
                    found = _set_through_type_of_self(model, node, method, call, instance, readers)
                    if found is not None:
                        seen.add(id(node))
                        yield node, found
                        continue
                if not (
                    isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
                    and node.id in method.globals and (None, node.id) in readers and id(node) not in seen
                ):  # fmt: skip
                    continue
                in_method = [
                    (n, tuple(_roots_of(model, n)))
                    for n in method.nodes
                    if isinstance(n, ast.Call) and line_of(n) > line_of(node)
                ]
                later = [  # a pool an object starts included (``bench.initialize()``, then ``bench.run()``)
                    (e.node, e.roots)
                    for e in model.paths[0].with_objects
                    if e.in_main_block and e.kind == "send" and line_of(e.report) > line_of(call)
                ]
                reader = _unset_reader(model, _unpinned(model, [*in_method, *later]), (None, node.id), readers)
                if reader is None:
                    continue
                seen.add(id(node))
                outcome = (
                    "spawn and forkserver children see its import-time value"
                    if node.id in import_time
                    else "it is undefined in spawn and forkserver children"
                )
                yield (
                    node,
                    (
                        f"global `{node.id}` is set in `{method.qualname}()`, which the main path calls (line "
                        f"{line_of(call)}), and read in a child by `{reader.name}()`: {outcome}"
                    ),
                )


def _instance_class(model: Module, call: ast.Call, scope: Scope, method: Scope) -> Optional[ClassInfo]:
    """The class of the program whose object ``call`` calls ``method`` of (``Settings(...).load()``, or
    ``settings.load()`` after ``settings = Settings(...)``), when it can be told; else None."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    made = model.bound_value(func.value, scope) if isinstance(func.value, ast.Name) else func.value
    info = model.resolve_class(made.func, scope) if isinstance(made, ast.Call) else None
    return info if info is not None and info.model is model and method.cls in info.mro() else None


def _set_through_type_of_self(
    model: Module,
    node: ast.AST,
    method: Scope,
    call: ast.Call,
    instance: ClassInfo,
    readers: Dict[Tuple[Optional[str], str], List[Scope]],
) -> Optional[str]:
    """MP103's message for ``type(self).attr = ...`` (or ``self.__class__.attr = ...``) in a method the main path
    calls on an object of class ``instance``: that class's attribute, read in a child that does not set it
    again, before which the parent hands the child its function (in the method after it, or in the main path
    after the call), not through a context pinned to fork; else None."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and method.params):
        return None
    holder, me = node.value, method.params[0]
    through_type = _of_own_class(holder, me) and "type" not in model.module.locals and "type" not in method.locals
    key = (instance.name, node.attr)
    if not through_type or key not in readers:
        return None
    in_method = [
        (n, tuple(_roots_of(model, n))) for n in method.nodes if isinstance(n, ast.Call) and line_of(n) > line_of(node)
    ]
    later = [
        (e.node, e.roots) for e in model.events
        if e.in_main_block and e.kind == "send" and line_of(e.report) > line_of(call)
    ]  # fmt: skip
    unpinned = _unpinned(model, [*in_method, *later])
    own = {k: [r for r in found if r.model is model] for k, found in readers.items()}

    def sets(scope: Scope, key: Tuple[Optional[str], str]) -> bool:  # or calls a method of that name (``.load()``)
        return _sets(scope, key) or any(isinstance(n, ast.Attribute) and n.attr == method.name for n in scope.nodes)

    reader = _unset_reader(model, unpinned, key, own, sets)
    if reader is None:
        return None
    return (
        f"class attribute `{instance.name}.{node.attr}` is set through `{ast.unparse(holder)}` in "
        f"`{method.qualname}()`, which the main path calls (line {line_of(call)}), and read in a child by "
        f"`{reader.name}()`: spawn and forkserver children see its import-time value"
    )


def _unpinned(model: Module, sends: List[Tuple[ast.AST, Tuple[Scope, ...]]]) -> List[Tuple[ast.AST, Tuple[Scope, ...]]]:
    """``sends`` but those whose every child a context pinned to fork starts (a copy of the parent), the sends
    reached in another module of the program included (ppanggolin's subcommands' ``get_context("fork").Pool``)."""

    def pinned(call: ast.AST) -> bool:
        for owner in (model, *model.program.models.values()):
            found = owner.sends_at(call)
            if found:
                return all(owner.send_method(s) == "fork" for s in found)
        return False

    return [(c, roots) for c, roots in sends if not pinned(c)]


def _roots_of(model: Module, call: ast.Call) -> List[Scope]:
    return [s.root for s in model.sends_at(call) if s.root is not None]


def _patching_helpers(model: Module, attr_reads: Set[Tuple[str, str]]) -> Iterator[Hit]:
    """A function of this module that patches a module or class attribute, called in the main block
    before a child that does not run it itself (``apply_patches()``, then a Pool without it as its
    ``initializer``). Such a function also runs in a child, so the parent's path does not inline it."""
    child = model.child_side()
    for stmt in model.main_block:
        for call in own_nodes([stmt]):
            if not isinstance(call, ast.Call):
                continue
            helper = model.resolve_function(call.func, model.module)
            if helper is None or helper not in child:
                continue
            patched = []
            for node in helper.nodes:
                if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)):
                    continue
                if isinstance(node.value, ast.Name):
                    owner, attr = node.value.id, node.attr
                    module = owner in model.module_names and model.lookup_scope(owner, helper).is_module
                    if (module and f"{model.imports.get(owner)}.{attr}" not in _CARRIED) or (
                        owner in model.classes and (owner, attr) in attr_reads
                    ):
                        patched.append(f"{owner}.{attr}")
            if not patched:
                continue
            if _a_later_child_skips(model, call.lineno, helper):
                names = ", ".join(f"`{p}`" for p in dict.fromkeys(patched))
                yield (
                    call,
                    (
                        f"`{helper.name}()` patches {names} in the main path, and a child that does not run it "
                        "follows: spawn and forkserver children see the import-time values"
                    ),
                )


def _a_later_child_skips(model: Module, after_line: int, helper: Scope) -> bool:
    """Whether a process started after ``after_line`` runs none of ``helper``.

    What a start sends (a Pool's initializer and tasks, a Process's target) is read off the sends on
    the lines after the start before it, up to (not including) the line of the start after it.
    """
    events = model.events
    lines = [getattr(e.report, "lineno", 0) for e in events]
    starts = [i for i, e in enumerate(events) if e.kind == "start"]
    for n, i in enumerate(starts):
        if lines[i] <= after_line:
            continue
        low = lines[starts[n - 1]] if n else 0
        high = lines[starts[n + 1]] if n + 1 < len(starts) else float("inf")
        roots = [r for j, e in enumerate(events) if e.kind == "send" and low < lines[j] < high for r in e.roots]
        if helper not in model.reach(roots):
            return True
    return False


#: Module attributes multiprocessing itself hands to (or resets in) every child, whatever the method.
_CARRIED = frozenset({"sys.path", "sys.argv", "sys.stdin"})
#: ``sys`` attributes every child reads whatever its code does: the import system's (a child imports the modules
#: of what it is sent, and a spawn child the main module).
_SYS_READ_BY_IMPORTS = frozenset({"sys.meta_path", "sys.path_hooks", "sys.path_importer_cache", "sys.modules"})
#: Calls that write to ``sys.stderr`` without naming it: logging (a handler made in the child, or logging's last
#: resort where none is set), ``warnings``, ``traceback``'s printers.
_STDERR_WRITERS = ("logging.", "warnings.warn", "traceback.print_")


def _child_scopes(model: Module, later: List[Tuple[ast.AST, Tuple[Scope, ...]]]) -> Set[Scope]:
    """The functions run by the children that the sends ``later`` make, and what those call. A pool made after
    is among them with its initializer; one made before ran its initializer in workers started before."""
    return model.reach([root for _, roots in later for root in roots])


def _module_attr_read(
    model: Module, later: List[Tuple[ast.AST, Tuple[Scope, ...]]], module: SourceFile, attr: str
) -> bool:
    """Whether a child one of the sends ``later`` makes reads ``attr`` of the program's ``module``: as an attribute
    of a name that stands for the module (``cfg.prefix``), or as a global of the module's own functions. bakta
    sets ``cfg.prefix`` in ``main()`` for its output files, and its executor's tasks never read it (the same
    result under the three methods, run); a library's module (``socket.socket``) is read by code lint does not
    see, and stays counted."""
    for scope in _child_scopes(model, later):
        reader = scope.model
        if reader.file is module and attr in reader.global_reads(scope):
            return True
        for node in scope.nodes:
            if (
                isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
                and reader.program.find_module(reader.qual(node.value, scope) or "", reader.file) is module
            ):  # fmt: skip
                return True
    return False


def _saves_signal_handler(model: Module, event: Event) -> bool:
    """Whether a table is changed in place by storing the handler ``signal.signal()`` replaces (or
    ``signal.getsignal()`` returns): matrix-synapse keeps the parent's original handlers so that its fork workers
    can restore them, which is what a spawn or forkserver child starts with anyway (the same handlers under the
    three methods, run)."""
    node = event.node
    value: Optional[ast.AST] = None
    if isinstance(node, ast.Subscript):  # ``TABLE[key] = value``: the statement's value
        value = next((n.value for n in event.scope.nodes if isinstance(n, ast.Assign) and node in n.targets), None)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault":
        value = node.args[-1] if node.args else None
    return isinstance(value, ast.Call) and model.qual(value.func, event.scope) in ("signal.signal", "signal.getsignal")


@functools.cache
def _new_library_attribute(module: str, attr: str) -> bool:
    """Whether ``attr`` is a name a library's top-level module never mentions in its source (``logging.DETAIL``, a
    level PanACoTA adds in its main path): then nothing of the library reads it, only the program's code can. Read
    from the module's text, found without importing it (a module of a package: not told, False)."""
    if "." in module:
        return False
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return False
    origin = getattr(spec, "origin", None) if spec is not None else None
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False
    try:
        text = Path(origin).read_bytes()
    except OSError:
        return False
    return re.search(rb"\b" + re.escape(attr.encode()) + rb"\b", text) is None


def _library_attr_read(model: Module, later: List[Tuple[ast.AST, Tuple[Scope, ...]]], patched: str) -> bool:
    """Whether a child one of the sends ``later`` makes names ``patched`` (``logging.DETAIL``) in its code."""
    for scope in _child_scopes(model, later):
        for node in scope.nodes:
            if (
                isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
                and scope.model.qual(node, scope) == patched
            ):  # fmt: skip
                return True
    return False


def _sys_read_in_child(model: Module, later: List[Tuple[ast.AST, Tuple[Scope, ...]]], patched: str) -> bool:
    """Whether a child one of the sends ``later`` makes (those after the parent set ``patched``, ``sys.stdout``,
    at run time) reads it: where the child's code names it, through the import system, or, for the two output
    streams, where it writes to one without naming it: ``print()`` with no ``file=`` and ``input()`` to
    sys.stdout, :data:`_STDERR_WRITERS` (a module-level logger's calls too) to sys.stderr. Any other ``sys``
    attribute only where named. subword-nmt rewraps both streams in its main block for a Pool task that prints
    nothing, and check50 sets ``sys.excepthook``, which no child of multiprocessing calls:
    ``BaseProcess._bootstrap`` prints an uncaught exception itself, a task's goes back to the parent (each the
    same output under the three methods, run)."""
    if patched in _SYS_READ_BY_IMPORTS:
        return True
    for scope in _child_scopes(model, later):
        reader = scope.model
        for node in scope.nodes:
            if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
                if (reader.qual(node, scope) or "") == patched:
                    return True
                continue
            if not isinstance(node, ast.Call) or patched not in ("sys.stdout", "sys.stderr"):
                continue
            q = reader.qual(node.func, scope) or ""
            if patched == "sys.stdout":
                if q == "input" or (q == "print" and not any(k.arg == "file" for k in node.keywords)):
                    return True
            elif q.startswith(_STDERR_WRITERS) or (
                isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                and node.func.value.id in reader.loggers
                and reader.lookup_scope(node.func.value.id, scope).is_module
            ):  # fmt: skip
                return True
    return False


def _same_as_on_import(model: Module, event: Event) -> bool:
    """Whether the main path's ``NAME = literal`` binds what the module's one import-time binding of NAME
    binds (``LIMIT = 10`` at the top and again in the main block): a child that imports the module gets an
    equal value, so no start method tells them apart. A name the module binds in more than one place at
    import time, in another way (a loop, ``+=``, an import), or in a function that declares it global, is
    not settled here."""
    value = next(
        (n.value for n in event.scope.nodes if isinstance(n, ast.Assign) and any(t is event.node for t in n.targets)),
        None,
    )
    bound = _literal(value)
    if bound is None:
        return False
    main = {id(n) for s in model.main_block for n in ast.walk(s)}
    bindings = [
        n for n in own_nodes(model.tree.body)
        if id(n) not in main and isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load) and n.id == event.detail
    ]  # fmt: skip
    own = {id(n) for n in event.scope.nodes}
    elsewhere = any(
        isinstance(n, ast.Global) and event.detail in n.names and id(n) not in own for n in ast.walk(model.tree)
    )  # a function that sets it too: which value a child imports is not told by the top level alone
    if len(bindings) != 1 or elsewhere:
        return False
    on_import = next(
        (n.value for n in model.tree.body if isinstance(n, ast.Assign) and any(t is bindings[0] for t in n.targets)),
        None,
    )
    return _literal(on_import) == bound


def _literal(value: Optional[ast.expr]) -> Optional[str]:
    """The ``repr`` of what a literal (``ast.literal_eval``'s: ``10``, ``-1``, ``{}``, ``["a"]``, ``set()``) or an
    empty ``dict()``, ``list()`` or ``tuple()`` evaluates to, the same whenever it runs; None for anything else."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args and not value.keywords:
        return {"dict": "{}", "list": "[]", "tuple": "()"}.get(value.func.id)  # (their repr)
    found = _literal_value(value)
    return None if found is _NOT_LITERAL else repr(found)


_NOT_LITERAL = object()


def _literal_value(value: Optional[ast.expr]) -> Any:
    """What a literal (``ast.literal_eval``'s) evaluates to; ``_NOT_LITERAL`` for anything else."""
    try:
        return ast.literal_eval(value) if value is not None else _NOT_LITERAL
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _import_time_bindings(model: Module) -> Set[str]:
    """Names the module binds when imported (outside the main block)."""
    main = {id(n) for s in model.main_block for n in ast.walk(s)}
    bound: Set[str] = set()
    for node in own_nodes(model.tree.body):
        if id(node) in main:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return bound


# --- MP104 ---------------------------------------------------------------------------------------------
def _counter_updates(model: Module) -> Iterator[Tuple[str, ast.AST, str]]:
    """(the lock's name, the update, the counter's name) for each module-level counter a child updates under a
    module-level lock (MP104's; MP120 leaves such a lock to it)."""
    locks = {name for name, kind in model.module.kinds.items() if kind == N.LOCK}
    for scope in model.child_side():
        for node in scope.nodes:
            if not isinstance(node, (ast.With, ast.AsyncWith)):
                continue
            lock = next(
                (
                    i.context_expr.id
                    for i in node.items
                    if isinstance(i.context_expr, ast.Name) and i.context_expr.id in locks
                ),
                None,
            )
            if lock is None or not model.lookup_scope(lock, scope).is_module:
                continue
            for inner in own_nodes(node.body):
                target = inner.target if isinstance(inner, ast.AugAssign) else None
                if isinstance(target, ast.Name) and target.id in scope.globals:
                    yield lock, inner, target.id


@rule("MP104", preview=True)
def global_counter_lock(model: Module) -> Iterator[Hit]:
    for lock, update, counter in _counter_updates(model):
        yield (
            update,
            f"module-level `{counter}` is updated under module-level lock `{lock}` in a child: each process changes "
            "its own copy",
        )


# --- MP105 ---------------------------------------------------------------------------------------------
def _logging_use(scope: Scope) -> Optional[ast.AST]:
    """A call in ``scope`` that logs below WARNING through the root logger or a module-level logger."""
    return next((n for n in scope.nodes if isinstance(n, ast.Attribute) and _logging_use_at(scope, n)), None)


def _records_pass(config: Event, reached: List[Scope]) -> bool:
    """Whether a record the child logs below WARNING may pass the level ``basicConfig(level=...)`` sets in the
    parent: a fork child, which keeps that level, emits it, and a spawn child drops it. A child that logs only
    ``debug()`` under ``level=logging.INFO`` (or under any of the levels a name may hold: NGSpeciesID's
    ``logging.debug if args.debug else logging.INFO``, where the function raises) emits nothing under any
    method. A level that cannot be read (``getattr(logging, args.log_level)``, kneaddata's), no ``level``, or
    another way of configuring: the records may pass."""
    node, scope = config.node, config.scope
    if not isinstance(node, ast.Call) or scope.model.qual(node.func, scope) != "logging.basicConfig":
        return True
    given = next((k.value for k in node.keywords if k.arg == "level"), None)
    levels = None if given is None else _possible_levels(scope.model, given, scope)
    if levels is None:
        return True
    logged = [
        _LEVELS[n.attr.upper()]
        for s in reached
        for n in s.nodes
        if isinstance(n, ast.Attribute) and _logging_use_at(s, n) is not None
    ]
    return bool(levels) and any(at >= min(levels) for at in logged)


def _possible_levels(model: Module, expr: ast.expr, scope: Scope, depth: int = 0) -> Optional[Set[int]]:
    """The levels ``expr`` may be (:func:`_level`; both arms of an ``if`` expression, through a name bound
    once); an arm that is a logging function (``logging.debug``, no level: ``basicConfig`` raises) adds none;
    None where one cannot be read."""
    if isinstance(expr, ast.Name) and depth < 3:
        value = model.bound_value(expr, scope)
        return None if value is None else _possible_levels(model, value, scope, depth + 1)
    if isinstance(expr, ast.IfExp):
        arms = [_possible_levels(model, arm, scope, depth + 1) for arm in (expr.body, expr.orelse)]
        return None if arms[0] is None or arms[1] is None else arms[0] | arms[1]
    level = _level(model, expr, scope)
    if level is not None:
        return {level}
    q = model.qual(expr, scope) if isinstance(expr, ast.Attribute) else None
    return set() if q and q.startswith("logging.") and q[len("logging.") :] in _LOGGING_FUNCTIONS else None


#: the logging functions (``logging.debug``): given as a level by mistake, ``basicConfig`` raises TypeError
_LOGGING_FUNCTIONS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})


def _logging_use_at(scope: Scope, node: ast.Attribute) -> Optional[ast.AST]:
    """``node`` itself when it is a use :func:`_logging_use` counts (a call below WARNING through the root
    logger or a module-level logger), else None."""
    if node.attr not in N.LOGGING_DROPPED or not isinstance(node.ctx, ast.Load):
        return None
    model = scope.model
    if model.qual(node, scope) in ("logging.debug", "logging.info"):
        return node
    if (
        isinstance(node.value, ast.Name)
        and node.value.id in model.loggers
        and model.lookup_scope(node.value.id, scope).is_module
    ):
        return node
    return None


#: the name of a function that sets logging up (``setup_logging``, ``configure_logger``, ``init_logging``)
_LOGGING_SETUP_RE = re.compile(
    r"^_*(?:(?:setup|set_up|configure|config|init|initialize|install)_?(?:the_)?(?:logging|loggers?|logs?)"
    r"|(?:logging|loggers?|log)_?(?:setup|config|configure|init|initialize))$",
    re.IGNORECASE,
)


def _configures_logging(scope: Scope) -> bool:
    """Whether ``scope`` sets logging up itself: a logging configuration call, a handler or a level set,
    or a call to a function outside the program whose name says it sets logging up (a library's
    ``setup_logging()``: what it does cannot be read, so the child is not claimed to drop its records)."""
    model = scope.model
    for node in scope.nodes:
        if isinstance(node, ast.Call):
            q = model.qual(node.func, scope) or ""
            if q in N.LOGGING_CONFIG or (
                isinstance(node.func, ast.Attribute) and node.func.attr in ("addHandler", "setLevel")
            ):
                return True
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if _LOGGING_SETUP_RE.match(name) and model.resolve_function(node.func, scope) is None:
                return True
            if q in _LOGURU_SETUP:
                return True
        elif isinstance(node, ast.Attribute) and node.attr == "handlers" and isinstance(node.ctx, ast.Store):
            return True
    return False


#: what sets loguru's sinks up (a child calling one sets its logging up itself)
_LOGURU_SETUP = frozenset({"loguru.logger.add", "loguru.logger.remove", "loguru.logger.configure"})
#: the numbers of the levels of the standard library's logging and of loguru, by name
_LEVELS = {"TRACE": 5, "DEBUG": 10, "INFO": 20, "SUCCESS": 25, "WARNING": 30, "WARN": 30, "ERROR": 40,
           "EXCEPTION": 40, "CRITICAL": 50, "FATAL": 50}  # fmt: skip


def _level(model: Module, expr: Optional[ast.expr], scope: Scope) -> Optional[int]:
    """The level ``expr`` names (``logging.INFO``, ``"INFO"``, ``20``), else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
        return expr.value
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return _LEVELS.get(expr.value.upper())
    q = model.qual(expr, scope) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    return _LEVELS.get(q[len("logging.") :]) if q and q.startswith("logging.") else None


def _logs_through(scope: Scope, logger: str) -> Optional[Tuple[ast.AST, int]]:
    """A call in ``scope`` that logs through ``logger`` (a module-level logger's name, ``<root>``, ``loguru``),
    with its level."""
    model = scope.model
    for node in scope.nodes:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        level = _LEVELS.get(node.func.attr.upper())
        if level is None:
            continue
        receiver = node.func.value
        if logger == "loguru":
            through = model.qual(receiver, scope) == "loguru.logger"
        elif logger == "<root>":
            through = model.qual(node.func, scope) == f"logging.{node.func.attr}"
        else:
            through = isinstance(receiver, ast.Name) and model.logger_key(receiver, scope) == logger
        if through:
            return node, level
    return None


def _sink_level(model: Module, event: Event, events: List[Event]) -> Optional[int]:  # events: up to the send
    """The lowest level of a record that reaches the handler or sink ``event`` adds, in the parent: a loguru
    sink's own ``level`` (DEBUG when not given); for the standard library, the logger's level set before it on
    the path (or the root's, by ``setLevel`` or ``basicConfig(level=...)``; WARNING when neither is). None:
    it cannot be read."""
    call = event.node
    assert isinstance(call, ast.Call)
    if event.detail == "loguru":
        given = model.argument(call, -1, "level")
        return 10 if given is None else _level(event.scope.model, given, event.scope)
    found: Dict[str, Optional[int]] = {}
    for e in events:
        if e.kind == "log_level" and isinstance(e.node, ast.Call) and e.node.args:
            found[e.detail] = _level(e.scope.model, e.node.args[0], e.scope)
        elif e.kind == "logging_config" and isinstance(e.node, ast.Call):
            given = model.argument(e.node, -1, "level")
            if given is not None:
                found["<root>"] = _level(e.scope.model, given, e.scope)
    return found[event.detail] if event.detail in found else found.get("<root>", 30)


def _with_shared_helpers(model: Module, path: EntryPath) -> List[Event]:
    """The events of ``path``, and in the script's, the handlers, sinks and levels that a function of the module
    the main block calls sets although it is not inlined (a child runs it too: ``add_sink(path)`` in the main
    block and in a child's own set-up), each shown at that call, in its place."""
    events = list(path.events)
    if path.kind == "test" and path.root is not None:
        return _with_fixtures(model, path.root, events)
    if path.kind != "script":
        return events
    for call in own_nodes(model.main_block):
        if not isinstance(call, ast.Call):
            continue
        helper = model.resolve_function(call.func, model.module)
        if helper is None or helper.model is not model or helper not in model.child_side_of_callee(helper):
            continue
        found: List[Event] = []
        for scope in sorted(model.reach([helper]), key=_where):
            if scope.model is not model:
                continue
            for node in scope.nodes:
                made = _sink_call(model, node, scope)
                if made is not None:
                    found.append(Event(made[0], node, call, True, scope, made[1]))
        at = next(
            (k for k, e in enumerate(events) if e.in_main_block and line_of(e.report) > line_of(call)), len(events)
        )
        events[at:at] = found
    return events


def _sink_call(model: Module, node: ast.AST, scope: Scope) -> Optional[Tuple[str, str]]:
    """(``log_sink`` or ``log_level``, the logger) for a call adding a handler or sink to a module-level logger or
    setting its level (as :mod:`.paths` makes these events), else None."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if model.qual(func, scope) == "loguru.logger.add":
        return "log_sink", "loguru"
    if isinstance(func, ast.Attribute) and func.attr in ("addHandler", "setLevel"):
        key = model.logger_key(func.value, scope)
        return None if key is None else ("log_sink" if func.attr == "addHandler" else "log_level", key)
    return None


def _with_fixtures(model: Module, test: Scope, events: List[Event]) -> List[Event]:
    """A test's events with, before its own, the handlers, sinks and levels that the plain fixtures of this
    module it asks for set up before their ``yield`` (pytest runs them first), each shown where it is made."""
    found: List[Event] = []
    for param in test.params:
        fixture = model.fixture(param)
        if fixture is None or fixture.model is not model or fixture is test:
            continue
        yields = [line_of(n) for n in fixture.nodes if isinstance(n, (ast.Yield, ast.YieldFrom))]
        for node in fixture.nodes:
            made = _sink_call(model, node, fixture)
            if made is not None and (not yields or line_of(node) < min(yields)):
                found.append(Event(made[0], node, node, True, fixture, made[1]))
    at = next((k for k, e in enumerate(events) if e.in_main_block), len(events))
    return [*events[:at], *found, *events[at:]]


def _sinks_added_at_run_time(model: Module, path: EntryPath) -> Iterator[Tuple[ast.AST, str]]:
    """MP105 for a handler added to a module-level logger of the standard library, or a sink to loguru's logger,
    only on the run-time path (``log.addHandler(...)``, ``logger.add(...)``), before a child that logs through
    that logger at a level the handler takes, where the child (its target, its pool's initializer) sets no
    logging up itself and importing the module adds no handler or sink, nor configures logging."""
    events = _with_shared_helpers(model, path)
    on_import = {e.detail for e in events if e.kind in ("log_sink", "log_level") and not e.in_main_block}
    if any(e.kind == "logging_config" and not e.in_main_block for e in events):
        return
    for i, event in enumerate(events):
        if event.kind != "log_sink" or not event.in_main_block or event.detail in on_import:
            continue
        if event.scope.model is not model or not isinstance(event.node, ast.Call):
            continue
        first = model.qual(event.node.args[0], event.scope) if event.node.args else None
        if event.detail == "loguru" and first in ("sys.stderr", "sys.__stderr__"):
            continue  # loguru's own default sink: a fresh child writes there too
        for j in range(i + 1, len(events)):
            if events[j].kind != "send":
                continue
            threshold = _sink_level(model, event, events[:j])
            if threshold is None:
                break
            call, roots = events[j].node, events[j].roots
            if model.sends_at(call) and all(model.send_method(send) == "fork" for send in model.sends_at(call)):
                continue  # a fork child is a copy of the parent: it has the handler
            reached = model.reach(roots)
            own = reached | model.reach(_initializers_of(model, call))
            if any(_configures_logging(s) for s in own) or _configured_on_import(model):
                continue
            uses = [
                (found, scope) for scope in sorted(reached, key=_where) if scope.model is model
                for found in [_logs_through(scope, event.detail)] if found is not None and found[1] >= threshold
            ]  # fmt: skip
            if not uses:
                continue
            (use, level), scope = uses[0]
            if event.detail != "loguru" and level >= 30:
                continue  # a warning reaches logging's last resort (stderr) in a fresh child: said only of drops
            where = {"script": "the main block", "console": f"the console script `{path.name}`"}.get(path.kind, "")
            if path.kind == "test":
                fixture = f", its fixture `{event.scope.name}`" if path.root is not event.scope else ""
                where = f"the test `{path.name}`{fixture}"
            reader = roots[0].name if roots else scope.name
            if event.detail == "loguru":
                what = "a sink is added to loguru's `logger`"
                outcome = "spawn and forkserver children's records miss it (loguru's default sink, stderr, gets them)"
            else:
                shown = "the root logger" if event.detail == "<root>" else f"the module-level logger `{event.detail}`"
                what = f"a handler is added to {shown}"
                outcome = "spawn and forkserver children drop its records"
            yield (
                event.report,
                (
                    f"{what} only in {where}, not on import, but `{reader}()` logs through it in a child "
                    f"({_place(model, scope.model, use)}): {outcome}"
                ),
            )
            break


def _configured_on_import(model: Module) -> bool:
    """Whether importing ``model`` (as a child does to find its target) configures logging: the module, its
    packages or a module of the program they import configures it in its top-level code."""
    program, file = model.program, model.file
    todo = [file] + [program.find_module(file.name.rsplit(".", i)[0], file) for i in range(1, file.name.count(".") + 1)]
    seen: Set[int] = set()
    while todo and len(seen) < 64:
        f = todo.pop()
        if f is None or id(f) in seen:
            continue
        seen.add(id(f))
        m = program.model(f, model.file)
        if m is None:
            continue
        if any(e.kind == "logging_config" and not e.in_main_block for e in m.events):
            return True
        todo.extend(program.file_of(q, f) for q in m.imports.values())
    return False


def _sends_of(events: Iterable[Event]) -> List[Send]:
    """What ``events`` hand to children (their ``send`` events, in any module of the program)."""
    return [s for e in events if e.kind == "send" for s in e.scope.model.sends_at(e.node)]


def _where(scope: Scope) -> Tuple[str, int]:
    return scope.model.path, getattr(scope.node, "lineno", 0)


@rule("MP105", preview=True)
def logging_configured_in_main(model: Module) -> Iterator[Hit]:
    """Along the script and each console entry point: logging configured only once the program runs (the main
    block, the entry function, anything they call), and a child that logs below WARNING without configuring
    logging itself, whose module does not configure it on import either."""
    if not _applies(model, "MP105"):
        return
    flagged: Set[int] = set()
    for path in model.paths:
        if path.kind not in ("script", "console"):
            continue
        configs = [e for e in path.events if e.kind == "logging_config"]
        if not configs or any(not e.in_main_block for e in configs) or id(configs[0].report) in flagged:
            continue  # configured at import time: every child configures itself the same way
        sends = _sends_of(path.events)
        initializers = [s.root for s in sends if s.via == "initializer" and s.root is not None]
        if any(_configures_logging(s) for s in model.reach(initializers)):
            continue
        for send in sends:
            if send.root is None or _configured_on_import(send.root.model):
                continue
            if send.scope.model.send_method(send) == "fork":
                continue  # a fork child has the parent's handlers (pynguin's worker, through another module's context)
            reached = sorted(model.reach([send.root]), key=_where)  # the first use in the source, every run
            if any(_configures_logging(s) for s in reached):
                continue
            uses = ((u, s) for u, s in ((_logging_use(s), s) for s in reached) if u is not None)
            use, scope = next(uses, (None, None))
            if use is None or scope is None:
                continue
            if not _records_pass(configs[0], reached):
                continue  # the level set drops the child's records under fork too (NGSpeciesID), or it cannot be read
            at = _place(model, scope.model, use)
            where = "the main block" if path.kind == "script" else f"the console script `{path.name}`"
            flagged.add(id(configs[0].report))
            yield (
                configs[0].report,
                (
                    f"logging is configured only in {where}, not on import, but `{send.root.name}()` logs in a "
                    f"child ({at}): spawn and forkserver children drop its records"
                ),
            )
            break
    for path in model.paths:
        if path.kind not in ("script", "console", "test"):
            continue
        for report, message in _sinks_added_at_run_time(model, path):
            if id(report) not in flagged:
                flagged.add(id(report))
                yield report, message


# --- MP106 ---------------------------------------------------------------------------------------------
#: what hands a child's environment on without naming a variable: a subprocess inherits it
_ENVIRON_PASSERS = ("subprocess.", "os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn")
_ENVIRON_GETTERS = ("os.getenv", "os.getenvb", "os.environ.get", "os.environb.get")


def _reads_environ(scopes: Set[Scope], key: str) -> bool:
    """Whether code running in a child reads the environment: the variable ``key`` (any, if ``key`` is
    empty or the code reads one it does not name), or all of it (a subprocess it starts inherits it)."""
    for scope in scopes:
        model = scope.model
        inside = {
            id(c) for n in scope.nodes if isinstance(n, (ast.Subscript, ast.Attribute)) for c in ast.iter_child_nodes(n)
        }
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                q = model.qual(node.func, scope) or ""
                if q.startswith(_ENVIRON_PASSERS):
                    return True
                if q in _ENVIRON_GETTERS:
                    named = literal(node.args[0]) if node.args else ""
                    if not key or not named or named == key:
                        return True
            elif isinstance(node, ast.Subscript) and model.qual(node.value, scope) in ("os.environ", "os.environb"):
                named = literal(node.slice)
                if not key or not named or named == key:
                    return True
            elif (
                isinstance(node, (ast.Name, ast.Attribute))
                and model.qual(node, scope) in ("os.environ", "os.environb")
                and id(node) not in inside
            ):
                return True  # the whole mapping: copied, iterated, passed on
    return False


def _sets_environ_first(root: Scope, key: str) -> bool:
    """Whether the child's own function sets the environment itself before it reads it or calls anything of
    the program: ``os.environ.update(env)`` with what it is handed (the whole mapping), or the variable
    ``key`` (``os.environ[key] = ...``). Then what the parent changed later does not matter to it."""
    model = root.model
    program_calls = {id(call) for call, _ in model.calls(root)}
    for node in root.nodes:
        if isinstance(node, ast.Call):
            func = node.func
            q = model.qual(func.value, root) if isinstance(func, ast.Attribute) else None
            if q in ("os.environ", "os.environb") and isinstance(func, ast.Attribute) and func.attr == "update":
                return bool(node.args) and not isinstance(node.args[0], ast.Dict)  # the mapping it was handed
            called = model.qual(func, root) or ""
            if id(node) in program_calls or called.startswith(_ENVIRON_PASSERS) or called in _ENVIRON_GETTERS:
                return False
        elif isinstance(node, ast.Assign) and key:
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript) and literal(target.slice) == key
                    and model.qual(target.value, root) in ("os.environ", "os.environb")
                ):  # fmt: skip
                    return True
        elif (
            isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
            and model.qual(node.value, root) in ("os.environ", "os.environb")
        ):  # fmt: skip
            return False
    return False


def _pool_made_by(model: Module, send: Send) -> Optional[ast.AST]:
    """The call that made the pool or executor a task ``send`` goes to: its with-block or binding, followed into
    a function of the program that returns it (asv's ``get_multiprocessing_pool()``, whose Pool's initializer
    sets the environment it is handed: every task runs after it)."""
    func = send.call.func
    made = model.pool_maker(func.value, send.call, send.scope) if isinstance(func, ast.Attribute) else None
    if made is None:
        return None
    maker = model.resolve_function(made.func, send.scope)
    if maker is not None:
        returned = [n.value for n in maker.nodes if isinstance(n, ast.Return) and isinstance(n.value, ast.Call)]
        return returned[0] if len(returned) == 1 else made
    return made


@rule("MP106", preview=True)
def environ_after_first_child(model: Module) -> Iterator[Hit]:
    """An environment change after the first child started, read by a child (a fork server started with
    the first child keeps the environment it had then: later children do not see the change)."""
    if not _applies(model, "MP106"):
        return
    first = _first_start(model.events)
    for event in model.events[first + 1 :]:
        if event.kind != "environ":
            continue
        initialized = {
            id(s.call) for s in model.sends
            if s.via == "initializer" and s.root is not None and _sets_environ_first(s.root, event.detail)
        }  # fmt: skip
        roots = [
            s.root for s in model.sends
            if s.root is not None and not _sets_environ_first(s.root, event.detail)
            and not (s.via in ("pool", "executor") and id(_pool_made_by(model, s)) in initialized)
        ]  # fmt: skip
        if _reads_environ(model.reach(roots), event.detail):
            line = line_of(model.events[first].report)
            yield event.report, f"os.environ is changed after the first child started (line {line})"


# --- MP107 ---------------------------------------------------------------------------------------------
def _resets_signal(model: Module, roots: Iterable[Scope], signum: str) -> bool:
    """Whether one of the child's first functions (an initializer, a target) sets the signal's handler
    again (``signal.signal(signal.SIGTERM, signal.SIG_DFL)`` in a Pool's initializer)."""
    for scope in model.reach(roots):
        for node in scope.nodes:
            if (
                isinstance(node, ast.Call) and scope.model.qual(node.func, scope) == "signal.signal" and node.args
                and ast.dump(node.args[0]) == signum
            ):  # fmt: skip
                return True
    return False


def _every_child_resets(model: Module, later: List[Event], signum: str) -> bool:
    """Whether every child started by ``later`` events runs first a function that sets the signal's handler
    again: a Process's target, or the initializer of a pool's workers (their tasks run after it)."""
    first = [s for s in _sends_of(later) if s.via in ("process", "initializer") and s.root is not None]
    initialized = {id(s.call) for s in first if s.via == "initializer"}
    for e in later:
        if e.kind != "start":
            continue
        if e.detail in ("manager", "call", "executor") and not initialized:
            return False  # a child whose first code the rule cannot see
        if e.detail == "pool" and id(e.node) not in initialized:
            return False  # a pool without an initializer: its workers keep the parent's handler
    return bool(first) and all(_resets_signal(model, [s.root], signum) for s in first if s.root is not None)


#: signals that exist on Windows alone, where nothing forks: no child can inherit their handler
_WINDOWS_SIGNALS = frozenset({"SIGBREAK"})


def _names_signal(signum: str, names: Iterable[str]) -> bool:
    """Whether the dumped signal number names one of ``names`` (``signal.SIGBREAK``, ``SIGCHLD``)."""
    return any(f"attr='{name}'" in signum or f"id='{name}'" in signum for name in names)


def _windows_only(signum: str) -> bool:
    """Whether the dumped signal number names a Windows-only signal (``signal.SIGBREAK``)."""
    return _names_signal(signum, _WINDOWS_SIGNALS)


def _handler_asks_which_process(signal: Event) -> bool:
    """Whether the handler a ``signal.signal()`` installs has an ``if`` that asks which process it runs in
    (``os.getpid()``, ``current_process()``, ``parent_process()``): it is written for the fork children that inherit it
    (microscope's device server compares ``current_process()`` with the parent's and does nothing in a child;
    run: its fork children end with the event the parent sets)."""
    return _asks_which_process(signal.node, signal.scope)


def _asks_which_process(call: ast.AST, scope: Scope) -> bool:
    """:func:`_handler_asks_which_process` of the ``signal.signal()`` call ``call`` in ``scope``."""
    if not isinstance(call, ast.Call) or len(call.args) < 2:
        return False
    handler = scope.model.resolve_function(call.args[1], scope)
    return handler is not None and any(
        isinstance(n, ast.If)
        and any(
            isinstance(c, ast.Call) and handler.model.qual(c.func, handler) in WHICH_PROCESS for c in ast.walk(n.test)
        )
        for n in handler.nodes
    )  # an `if` that asks: not a pid only written to a log (the catalog's graceful_shutdown)


def _starts_own_object(signal: Event, start: Event) -> bool:
    """Whether ``start`` starts the object of the Process subclass whose method installed the handler, one of its
    own methods (mriqc's ResourceRecorder sets SIGTERM to its ``stop`` in ``__init__``: on terminate() its fork
    child runs its own stop, by design; the children started after it get a handler not theirs). Run: under
    fork a later child's terminate() runs the recorder's stop instead of ending it, the recorder's ends it."""
    info, call = signal.scope.cls, signal.node
    if info is None or info.kind != N.PROCESS or not isinstance(call, ast.Call) or len(call.args) < 2:
        return False
    handler = call.args[1]
    if not (isinstance(handler, ast.Attribute) and is_self(handler, signal.scope)):
        return False
    node, where = start.node, start.scope
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "start"):
        return False
    obj = node.func.value
    values = [v for v in where.model._values_of(obj.id, where)] if isinstance(obj, ast.Name) else [obj]
    made = [v for v in values if not (isinstance(v, ast.Constant) and v.value is None)]
    return bool(made) and all(
        isinstance(v, ast.Call) and getattr(where.model.resolve_class(v.func, where), "node", None) is info.node
        for v in made
    )


@rule("MP107", preview=True)
def signal_handler_inherited(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP107"):
        return
    events = model.paths[0].with_objects  # the script's path, and what a method of its objects does every run
    for i, event in enumerate(events):
        # a SIGCHLD handler tells of the process's own children's ends, not of a terminate(): MP119's
        if event.kind == "signal" and not _windows_only(event.detail) and not _names_signal(event.detail, _SIGCHLD):
            if not event.in_main_block:
                continue  # installed on import: a spawn or forkserver child re-imports the script and installs it too
            # a Manager's server process ignores SIGINT (multiprocessing.managers, since 3.8): it runs no handler
            sigint = _names_signal(event.detail, ("SIGINT",))
            start = next(
                (
                    e for e in events[i + 1 :]
                    if e.kind == "start" and not (sigint and e.detail == "manager") and not _starts_own_object(event, e)
                ),
                None,
            )  # fmt: skip
            if start is None:
                continue
            if _every_child_resets(model, events[i + 1 :], event.detail):
                continue  # every child started later sets its own handler for this signal first
            if _handler_asks_which_process(event):
                continue  # it acts only in the process that installed it (microscope's fix for its issue #9)
            if event.node is event.report and start.node is start.report:
                where = f"before a child starts (line {line_of(start.report)})"
            else:  # reached through calls: say where each really happens
                where = f"at {_site(model, event)}, before a child starts at {_site(model, start)}"
            yield event.report, f"a Python signal handler is installed {where}: fork children inherit it"
    yield from _installed_by_init(model)


def _first_code(send: Send) -> Optional[Scope]:
    """The program's code a child runs first: its target function, or the ``__init__`` of the class given as the
    target (django-q's ``Process(target=Sentinel, ...)``: the Sentinel resets SIGTERM first thing)."""
    if send.root is not None or send.func is None:
        return send.root
    info = send.scope.model.resolve_class(send.func, send.scope)
    return info.method("__init__") if info is not None else None


#: what ``signal.signal()`` installs that is no Python handler a child could run
_NOT_PYTHON_HANDLERS = frozenset({"signal.SIG_DFL", "signal.SIG_IGN"})


def _installed_by_init(model: Module) -> Iterator[Hit]:
    """A class whose ``__init__`` installs a Python signal handler and whose other methods start children that may
    be forked (pymultirun's ``Multiprocess``: its ``run()`` starts the workers, which inherit the handler that
    only queues the signal, and ignore terminate(); run): an object's ``__init__`` runs before any of its
    other methods, so every child they start comes after the handler. Not a Process subclass (its own start is
    judged with its handler: :func:`_starts_own_object`), nor where every child resets the handler."""
    for info in model.classes.values():
        init = info.methods.get("__init__")
        if init is None or info.kind == N.PROCESS:
            continue
        installs = [
            n for n in init.nodes
            if isinstance(n, ast.Call) and model.qual(n.func, init) == "signal.signal" and len(n.args) >= 2
            and model.qual(n.args[1], init) not in _NOT_PYTHON_HANDLERS
        ]  # fmt: skip
        if not installs:
            continue
        reached = model.reach(m for name, m in info.methods.items() if name != "__init__")
        sends = [
            s for scope in reached for s in scope.model.sends
            if s.scope is scope and s.via in ("process", "pool", "executor", "initializer")
            and scope.model.send_method(s) in ("fork", DEFAULT)
        ]  # fmt: skip
        if not sends:
            continue
        roots = [_first_code(s) for s in sends if s.via in ("process", "initializer")]
        for call in installs:
            signum = ast.dump(call.args[0])
            if _windows_only(signum) or _names_signal(signum, _SIGCHLD) or _asks_which_process(call, init):
                continue
            if (
                roots
                and all(r is not None and _resets_signal(model, [r], signum) for r in roots)
                and all(s.via != "pool" for s in sends)
            ):
                continue
            yield (
                call,
                f"a Python signal handler is installed in `{info.name}.__init__`, and `{info.name}`'s methods start "
                f"children (line {line_of(sends[0].call)}): fork children inherit it",
            )


# --- MP108 ---------------------------------------------------------------------------------------------
@rule("MP108", preview=True)
def unpicklable_process_state(model: Module) -> Iterator[Hit]:
    for at, message, value in _unpicklable_sends(model):
        if value:  # a generator, a file, a lock, an object keeping one, handed to a child
            yield at, message
    if not _applies(model, "MP108"):
        return
    for info in model.classes.values():
        init = info.methods.get("__init__")
        if info.kind != N.PROCESS or init is None:
            continue
        for node in init.nodes:
            if not isinstance(node, ast.Assign):
                continue
            on_self = [t for t in node.targets if isinstance(t, ast.Attribute) and _is_name(t.value, "self")]
            if not on_self:
                continue
            held = _unpicklable_kept(model, node.value, init)  # django-chroniker#397: `self.fout = fout or sys.stdout`
            if held is None and isinstance(node.value, ast.Call):
                q = model.qual(node.value.func, init) or ""
                if q.endswith(".connect") and q.split(".")[0] in model.module_names:  # a database's, a socket's
                    held = f"{q}()"
            if held is not None:
                what = f"the result of `{held}`" if held.endswith("()") else f"`{held}`"
                yield (
                    node,
                    f"`{info.node.name}.__init__` keeps {what} on self: start() cannot pickle it under spawn and "
                    "forkserver",
                )


# --- MP109 ---------------------------------------------------------------------------------------------
@rule("MP109", preview=True)
def os_fork_with_multiprocessing(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP109"):
        return
    for scope in [model.module, *model.scopes]:
        nodes = list(scope.nodes)
        for node in nodes:
            if isinstance(node, ast.Call) and model.qual(node.func, scope) in N.FORK_FUNCS:
                later = next(
                    (
                        n
                        for n in nodes
                        if isinstance(n, ast.Call) and line_of(n) > line_of(node)
                        and (model.start_kind(n, scope) or _starts_through(model, n, scope))
                    ),
                    None,
                )  # fmt: skip
                if later is not None:  # the forked process goes on to start children of its own
                    what = model.qual(node.func, scope)
                    how = "a multiprocessing start" if model.start_kind(later, scope) else "a call that starts a child"
                    yield (
                        node,
                        (
                            f"{what}() and then {how} (line {line_of(later)}) in the same function: "
                            "the forked process does not own the parent's fork server"
                        ),
                    )


def _starts_through(model: Module, call: ast.Call, scope: Scope) -> bool:
    """Whether ``call`` calls a function of the program, or a method of an object of the program's, that starts a
    child itself or through what it calls (flent's forked batch runner: ``self.run()``, whose aggregator makes a
    Manager and a Pool), in a module that starts children elsewhere too."""
    callee = model.callee(call, scope) or model._object_method(call, scope)
    if callee is None:
        return False
    reached = model.reach([callee])
    if not any(s.starts for s in reached):
        return False
    # and the program starts children elsewhere too (flent's main window keeps a Pool): a parent that never
    # started a fork server has none for the forked process to share
    return any(s.starts for s in [model.module, *model.scopes] if s not in reached and s is not scope)


# --- MP110 ---------------------------------------------------------------------------------------------
def _is_path(model: Module, expr: Optional[ast.AST], scope: Scope, depth: int = 0) -> bool:
    if depth > 5 or expr is None:
        return False
    if isinstance(expr, ast.Call):
        if model.qual(expr.func, scope) in N.PATH_TYPES:
            return True
        func = expr.func
        return isinstance(func, ast.Attribute) and func.attr in (
            "resolve", "absolute", "expanduser", "joinpath", "with_name", "with_suffix", "relative_to",
        ) and _is_path(model, func.value, scope, depth + 1)  # fmt: skip
    if isinstance(expr, ast.Attribute) and expr.attr in ("parent", "parents"):
        return _is_path(model, expr.value, scope, depth + 1)
    if isinstance(expr, ast.Subscript):
        return _is_path(model, expr.value, scope, depth + 1)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return _is_path(model, expr.left, scope, depth + 1)
    if isinstance(expr, ast.Name):
        binder = model.lookup_scope(expr.id, scope)
        values = [
            n.value
            for n in binder.nodes
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
        ]
        return bool(values) and all(_is_path(model, v, binder, depth + 1) for v in values)
    return False


@rule("MP110", preview=True)
def sys_path_not_str(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP110"):
        return
    for scope in [model.module, *model.scopes]:
        for node in scope.nodes:
            added: List[ast.AST] = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if model.qual(node.func.value, scope) == "sys.path":
                    if node.func.attr == "append" and node.args:
                        added = [node.args[0]]
                    elif node.func.attr == "insert" and len(node.args) > 1:
                        added = [node.args[1]]
                    elif node.func.attr == "extend" and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
                        added = list(node.args[0].elts)
            elif isinstance(node, ast.AugAssign) and model.qual(node.target, scope) == "sys.path":
                added = list(node.value.elts) if isinstance(node.value, (ast.List, ast.Tuple)) else []
            for value in added:
                if _is_path(model, value, scope):
                    yield value, "a pathlib path (not a str) is added to sys.path"


# --- MP111 ---------------------------------------------------------------------------------------------
@rule("MP111", preview=True)
def atexit_in_child(model: Module) -> Iterator[Hit]:
    if not _applies(model, "MP111"):
        return
    breaks = _breaks_anywhere("MP111") | {DEFAULT}
    # only the children that may be forked: one of get_context("spawn") runs its atexit handlers (warmpool's)
    roots = [s.root for s in model.sends if s.root is not None and model.send_method(s) in breaks]
    reached = {id(root): model.reach([root]) for root in roots}
    for scope in model.reach(roots):
        for node in scope.nodes:
            if isinstance(node, ast.Call) and model.qual(node.func, scope) == "atexit.register":
                if node.args and all(_called_in_finally(r, node) for r in reached.values() if scope in r):
                    continue  # every child that registers it calls the handler itself as it ends (coverage#879's fix)
                yield node, f"atexit.register() in `{scope.name}()`, which runs in a child"


def _handler_name(expr: ast.expr) -> Optional[str]:
    """The name an atexit handler is called by: ``save`` for ``cov.save`` or ``save``."""
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None


def _called_in_finally(scopes: Iterable[Scope], register: ast.Call) -> bool:
    """Whether one of ``scopes`` calls the handler ``atexit.register(handler, *args)`` registers, by its name and
    with the same arguments, in a ``finally:`` block: the child does the handler's work itself, however it ends
    (coverage#879's fix: ``finally: cov.save()``; run: nothing lost under fork, spawn and forkserver). Not a
    call with other arguments (the catalog's ``mark(finally_ran)`` beside ``atexit.register(mark, atexit_ran)``)."""
    name = _handler_name(register.args[0])
    args = [ast.dump(a) for a in register.args[1:]]
    if name is None or register.keywords:
        return False
    for scope in scopes:
        for node in scope.nodes:
            if isinstance(node, ast.Try) and any(
                isinstance(n, ast.Call) and _handler_name(n.func) == name and not n.keywords
                and [ast.dump(a) for a in n.args] == args
                for n in own_nodes(node.finalbody)
            ):  # fmt: skip
                return True
    return False


# --- MP112 ---------------------------------------------------------------------------------------------
def _may_fork(model: Module, event: Event, in_thread: bool) -> bool:
    """Whether this start can fork (:meth:`Module.may_fork`: not made by a context pinned to spawn or
    forkserver, nor by one whose method cannot be read); inside a thread target, only a start the rule sees
    itself (a program function that starts one, such as parsl's worker watchdog restarting spawn workers,
    may use any context)."""
    if in_thread and event.detail == "call":
        return False
    return event.scope.model.may_fork(event.node, event.scope)


def _conditional(node: ast.AST, scope: Scope) -> bool:
    """Whether ``node`` runs in ``scope`` only when a test says so (:meth:`Module.conditional`)."""
    return scope.model.conditional(node, scope)


def _in_every_run(path: EntryPath, event: Event) -> bool:
    """Whether a start inside a thread target happens every time the target runs: not under a condition in
    the function that does it, nor at a call the target makes under one (luigi's worker forks only when it
    was configured with several processes, which most of its threaded tests are not)."""
    if _conditional(event.node, event.scope):
        return False
    return path.root is None or event.report is event.node or not _conditional(event.report, path.root)


def _none_test(test: ast.expr) -> Tuple[Optional[str], int]:
    """For an ``if`` test on a name being None: the name, and the arm that runs when it is (0 the body: ``if
    pool is None``, ``if not pool``; 1 the ``else``: ``if pool is not None``, ``if pool``); (None, 0) otherwise."""
    if isinstance(test, ast.Name):
        return test.id, 1
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return test.operand.id, 0
    if (
        isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.IsNot))
        and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None
    ):  # fmt: skip
        return test.left.id, 0 if isinstance(test.ops[0], ast.Is) else 1
    return None, 0


def _passed(call: ast.AST, function: ast.AST, param: str) -> Optional[ast.expr]:
    """The argument ``call`` binds to ``function``'s parameter ``param`` (a method's ``self`` left out): by
    keyword, or at its position (:func:`argument`)."""
    if not isinstance(call, ast.Call) or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    names = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return argument(call, names.index(param) if param in names else -1, param)


def _rebinds(scope: Scope, name: str, before: Optional[ast.stmt] = None) -> bool:
    """Whether ``scope`` binds ``name`` itself (a parameter set again: ``pool = pool or Pool()``); with
    ``before``, only above that statement (what its own arms bind does not change its test)."""
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, (ast.Store, ast.Del))
        and (before is None or line_of(n) < line_of(before))
        for n in scope.nodes
    )  # fmt: skip


def _not_taken(event: Event) -> bool:
    """Whether the start ``event`` does not happen on its path: it sits in a branch its function takes only when
    one of its parameters is None (``if pool is None: pool = Pool(2)``), and the calls that reached it pass that
    parameter an object lint knows the kind of (a Pool, a Process, an executor...) or a literal other than None,
    itself or through the callers' parameters; for a call of a function that starts children, every start in
    it is so. pyklip's helpers make a Pool of their own only when not handed one, and its ``readdata()`` always
    hands them its own: no child is started while that Pool is open (3.12 warns at no fork, run)."""
    return isinstance(event.node, ast.Call) and _only_when_none(event.node, event.scope, event.calls)


def _only_when_none(node: ast.Call, scope: Scope, calls: Tuple[Tuple[ast.AST, Scope], ...], depth: int = 0) -> bool:
    """:func:`_not_taken` for the start ``node`` in ``scope``, reached through ``calls`` (outermost first)."""
    own = {id(n) for n in scope.nodes}
    for stmt, arm in scope.model.enclosing(node):
        if not isinstance(stmt, ast.If) or id(stmt) not in own:
            continue
        name, when_none = _none_test(stmt.test)
        if (
            name is not None and arm == when_none and not _rebinds(scope, name, before=stmt)
            and _given(scope, name, calls)
        ):  # fmt: skip
            return True
    if depth >= 3 or scope.model.start_kind(node, scope) != "call":
        return False
    callee = scope.model.capable_callee(node.func, scope)
    if callee is None or callee is scope:
        return False
    starts = [n for n in callee.nodes if isinstance(n, ast.Call) and callee.model.start_kind(n, callee)]
    return bool(starts) and all(_only_when_none(n, callee, (*calls, (node, scope)), depth + 1) for n in starts)


def _given(callee: Scope, name: str, calls: Tuple[Tuple[ast.AST, Scope], ...]) -> bool:
    """Whether the calls that reached ``callee`` (the last of ``calls``) pass its parameter ``name`` something
    that is neither None nor false: a true literal, an object lint knows the kind of, or a parameter of the
    caller its own callers pass so."""
    for call, caller in reversed(calls):
        arg = _passed(call, callee.node, name)
        if arg is None:
            return False
        if isinstance(arg, ast.Constant):  # 0 or "" takes ``if not workers:`` as None does
            return bool(arg.value)
        if caller.model.kind_of(arg, caller) is not None:
            return True
        if not isinstance(arg, ast.Name) or not _passed_on(caller, arg.id):
            return False
        callee, name = caller, arg.id
    return False


def _passed_on(scope: Scope, name: str) -> bool:
    """Whether ``name`` is a parameter of ``scope``'s function that it does not bind again."""
    return name in scope.params and not _rebinds(scope, name)


def _place(model: Module, owner: Module, node: ast.AST) -> str:
    """``line N`` for a node of the file a finding of ``model`` is shown in, else ``path:N``."""
    return f"line {line_of(node)}" if owner is model else f"{owner.file.shown}:{line_of(node)}"


def _site(model: Module, event: Event) -> str:
    """Where an event happens, and the call that led there."""
    text = _place(model, event.scope.model, event.node)
    if event.node is event.report:
        return text
    return f"{text} (in `{event.scope.name}()`, called at line {line_of(event.report)})"


def _restarts_in_fork_children(model: Module) -> bool:
    """Whether the module registers an ``os.register_at_fork(after_in_child=...)`` hook of its own that starts
    something again or resets a lock in a fork child (Flagsmith's client starts its polling thread again in
    each: the program makes up for the threads a fork child lacks itself; run: its workers see the flag)."""
    for scope in [model.module, *model.scopes]:
        for node in scope.nodes:
            if not (isinstance(node, ast.Call) and model.qual(node.func, scope) == "os.register_at_fork"):
                continue
            hook = argument(node, 99, "after_in_child")
            if isinstance(hook, ast.Attribute) and hook.attr == "_at_fork_reinit":
                return True
            target = None
            if isinstance(hook, ast.Attribute) and scope.cls is not None and is_self(hook, scope):
                target = scope.cls.method(hook.attr)
            elif hook is not None:
                target = model.resolve_function(hook, scope)
            if target is not None and any(
                isinstance(n, ast.Attribute) and n.attr in ("start", "_at_fork_reinit") for n in target.nodes
            ):
                return True
    return False


@rule("MP112")
def threads_before_fork(model: Module) -> Iterator[Hit]:
    """Along every entry path (the script, each console entry point, each test, each thread target): a
    process started while a thread the path started still runs, or inside a thread target whenever it runs."""
    if not _applies(model, "MP112") or _restarts_in_fork_children(model):
        return
    flagged: Set[int] = set()
    for path in model.paths:
        running: Dict[str, Event] = {}
        inside = path.kind == "thread" and path.thread_start is not None
        submitted: Set[str] = set()  # executors whose workers have started (at their first submit or map)
        for event in path.with_objects:
            if event.kind == "thread_start":
                if not _not_taken(event):  # a Pool (its threads) made only when none is handed in, one is
                    running[event.detail] = event
            elif event.kind == "thread_join":
                running.pop(event.detail, None)
            elif event.kind == "start" and event.detail == "executor":
                first = _first_submit(event, submitted)
                if (
                    first
                    and _alongside(model, running, event)
                    and not inside
                    and id(event.report) not in flagged
                    and _may_fork(model, event, False)
                ):
                    flagged.add(id(event.report))
                    where = _site(model, _alongside(model, running, event)[0])
                    yield (
                        event.report,
                        (
                            f"a ProcessPoolExecutor starts its workers at its first submit, here, while the thread "
                            f"started at {where} runs: under fork the children get only this thread"
                        ),
                    )
            elif event.kind == "start" and event.detail in ("process", "call", "pool"):
                # not a Pool's own making (``pool = Pool(2)``, or ``pool = make_pool()`` whose body makes it)
                others = [
                    e
                    for e in _alongside(model, running, event)
                    if e.node is not event.node and e.node is not event.report
                ]
                if not (others or inside) or id(event.report) in flagged:
                    continue
                if not _may_fork(model, event, inside) or (inside and not _in_every_run(path, event)):
                    continue
                if _not_taken(event):
                    continue
                flagged.add(id(event.report))
                if inside:
                    assert path.thread_start is not None and path.root is not None
                    message = (
                        f"a child process is started inside a thread (`{path.name}()`, started at "
                        f"{_place(path.root.model, model, path.thread_start)}): under fork the child gets only "
                        "this thread"
                    )
                else:
                    thread = others[0]
                    where = _site(model, thread)
                    started = f"the thread started at {where} runs"
                    if thread.scope.model.kind_of(thread.node, thread.scope) == N.POOL:
                        started = f"the Pool made at {where} has not been joined (its three threads may still run)"
                    message = f"a child process is started while {started}: under fork the child gets only this thread"
                if event.node is not event.report:  # reached through a call: say where the child starts
                    place = _place(model, event.scope.model, event.node)
                    message += f" (it starts at {place}, in `{event.scope.name}()`)"
                yield event.report, message


def _alongside(model: Module, running: Dict[str, Event], event: Event) -> List[Event]:
    """The threads of ``running`` that can run when ``event`` happens: not those started in another branch of
    an ``if`` or a ``try`` than ``event`` (``if command == "serve": serve()`` / ``elif command == "multi":
    launch()``; osrframework's ``try: ... pool = Pool(n) ... except ValueError: pool = Pool(n)`` in a function
    the main block calls): :func:`_exclusive`."""
    return [e for e in running.values() if not _exclusive(model, e, event)]


def _exclusive(model: Module, a: Event, b: Event) -> bool:
    """Whether ``a`` and ``b`` never both happen in one run: in different branches of an ``if`` or a ``try``
    in the code where their paths part (the first call each was reached through that differs: ``elif
    args.benchmark: do_benchmark()`` / ``else: process_nick_list()`` in a ``main()`` the main block calls)."""
    if model.exclusive(a.report, b.report):
        return True
    path_a, path_b = (*a.calls, (a.node, a.scope)), (*b.calls, (b.node, b.scope))
    for (node_a, scope_a), (node_b, scope_b) in zip(path_a, path_b):
        if node_a is not node_b:
            return scope_a is scope_b and scope_a.model.exclusive(node_a, node_b)
    return False


def _first_submit(event: Event, submitted: Set[str]) -> bool:
    """Whether ``event`` is the first ``submit()``/``map()`` of a standard-library ProcessPoolExecutor along
    the path: it makes no process when it is made, and starts its workers then (all of them, under fork)."""
    node = event.node
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    receiver = node.func.value
    scope = event.scope
    kind = scope.model.kind_of(receiver, scope)
    if getattr(kind, "lib", "multiprocessing") != "multiprocessing":
        return False  # loky, pebble...: their own ways of starting workers
    key = f"{id(scope)}:{ast.unparse(receiver)}"
    if key in submitted:
        return False
    submitted.add(key)
    return True


# --- MP113 ---------------------------------------------------------------------------------------------
#: what catches the RuntimeError a second ``set_start_method()`` raises
_CATCH_ALREADY_SET = frozenset({"RuntimeError", "Exception", "BaseException"})


def _catches_already_set(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return caught is None or any(
        (n.attr if isinstance(n, ast.Attribute) else n.id if isinstance(n, ast.Name) else "") in _CATCH_ALREADY_SET
        for n in names
        if n is not None
    )


def _already_set_caught(
    model: Module, event: Event, caught: Callable[[ast.ExceptHandler], bool] = _catches_already_set
) -> bool:
    """Whether the call (or the call that led to it) sits in the body of a ``try`` whose handler catches
    the RuntimeError a second call raises (``try: set_start_method("spawn") except RuntimeError: pass``);
    ``caught`` says which handlers count."""
    return any(
        isinstance(stmt, ast.Try) and arm == 0 and any(caught(h) for h in stmt.handlers)
        for owner, node in ((event.scope.model, event.node), (model, event.report))
        for stmt, arm in owner.enclosing(node)
    )


def _only_passes(handler: ast.ExceptHandler) -> bool:
    """A handler that catches the RuntimeError of a second call and does nothing with it."""
    return _catches_already_set(handler) and all(isinstance(x, ast.Pass) for x in handler.body)


def _asks_again_and_ignores(model: Module, first: Event, again: Event) -> bool:
    """Whether the second call asks for the method the first did (the same call reached twice, or the same
    literal) inside a ``try`` whose handler only passes on the RuntimeError: the method is already the one it
    wants (FabSim3#201's fix, its pool helper calling ``set_start_method("fork")`` at every pool). Not one that
    asks for another method (that request is lost), nor one whose handler does something with the error."""
    calls = [e.node for e in (first, again)]
    if not all(isinstance(c, ast.Call) and c.args for c in calls):
        return False
    a, b = (c.args[0] for c in calls if isinstance(c, ast.Call))
    if not (a is b or (isinstance(a, ast.Constant) and isinstance(b, ast.Constant) and a.value == b.value)):
        return False
    return _already_set_caught(model, again, _only_passes)


def _imported_by_tests(model: Module) -> bool:
    """Whether the module is a test module a test runner imports (``test_*.py``, ``*_test.py``, conftest.py, a
    module under a tests folder that holds tests: multirunnable's ``tests/unit_test/init.py``), or a module under
    a tests folder that another file of its project imports (its ``framework/lock.py``): not a script of the
    tests folder run on its own (a program kept as a test's input, CPython's ``mp_fork_bomb.py``), which a
    spawn child re-imports as its main module."""
    path = model.file.path
    if is_test_module(path):
        return True
    if not is_test_file(path):
        return False
    if next(model._tests(), None) is not None:
        return True  # it holds tests: a runner given the file imports it (``pytest tests/unit_test/init.py``)
    last = path.parent.name if path.name == "__init__.py" else path.stem
    imports = re.compile(rb"(?m)^[ \t]*(?:from|import)[ \t][^\n]*\b" + re.escape(last.encode()) + rb"\b")
    program, here = model.program, model.program.project_of(model.file)
    for f in program.files:
        if f is not model.file and program.project_of(f) == here:
            found = imports.search(f.source) is not None
            f.drop_source()  # (its bytes were read for this alone: let them go again where they can be)
            if found:
                return True
    return False


def _unpickles_own(model: Module) -> bool:
    """Whether the module hands a function of its own to a child of a library that pickles it by reference:
    a spawn or forkserver child imports the module to unpickle it, while it starts up."""
    return any(s.root is not None and s.root.model is model and s.pickled for s in model.sends)


def _imported_by_children(model: Module) -> bool:
    """Whether spawn children import this module: it is a script (a main block, or a child started at
    import time), a console-script entry point, or it hands a function of its own to a child (the child
    imports the function's module to unpickle it)."""
    return bool(
        model.main_block
        or any(e.kind == "start" and not e.in_main_block for e in model.events)
        or bool(model.entry_points)
        or _unpickles_own(model)
    )


@rule("MP113", preview=True)
def set_start_method_twice(model: Module) -> Iterator[Hit]:
    seen: Optional[Event] = None
    for event in model.events:
        if event.kind != "set_start_method":
            continue
        if event.forced:
            pass  # force=True replaces the method: never an error
        elif not event.in_main_block and _imported_by_children(model) and model.may_use(("spawn", "forkserver")):
            if not _already_set_caught(model, event):  # caught: the child goes on with the method it has
                yield (
                    event.report,
                    (
                        "set_start_method() runs at import time: a spawn child re-imports this module and calls it "
                        "again (RuntimeError: context has already been set); so does a forkserver child, unless "
                        "its server preloaded the module"
                    ),
                )
        elif seen is None or model.exclusive(seen.report, event.report) or _asks_again_and_ignores(model, seen, event):
            pass  # the first call, one in another branch, or one that asks for the same method and lets it fail
        else:
            yield (
                event.report,
                f"set_start_method() is called again (first at line {line_of(seen.report)}) without force=True",
            )
        seen = seen or event


# --- MP114 ---------------------------------------------------------------------------------------------
#: the smallest pipe buffer of the platforms (64 KiB on Linux, 16 KiB at least elsewhere)
_PIPE_BYTES = 16 * 1024
#: copies of an iterable: as large as what they copy
_COPIES = frozenset({"tuple", "list", "sorted", "set", "frozenset", "dict", "bytes", "bytearray"})
#: what reads a file, a stream or a process's output whole: as large as what it reads
_READS = frozenset({"read", "readlines", "read_bytes", "read_text", "getvalue", "tobytes", "fetchall", "communicate"})
_READ_CALLS = frozenset({"subprocess.check_output", "pickle.dumps", "marshal.dumps", "json.load", "pickle.load"})
#: ranges this long or shorter copy to a few KiB
_SHORT_RANGE = 1000


def _grows(model: Module, expr: Optional[ast.expr], scope: Scope, depth: int = 3) -> bool:
    """Whether the code shows that ``expr`` can pickle to more than a pipe holds: a long literal, a
    sequence repeated a long or a run-time number of times (``b"x" * n``), a comprehension, a copy of a
    long range or of such a value, what a read returns (a file's whole text, a process's output), a local
    list or table filled in a loop; a local name one of whose values grows, a call of the program's
    function one of whose returns grows, followed ``depth`` steps. Anything else (a value of a size the
    code does not show: a call lint cannot follow, a parameter) is not taken to grow: precision first."""
    if expr is None or depth <= 0:
        return False
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, (str, bytes)) and len(expr.value) > _PIPE_BYTES
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return True
    if isinstance(expr, ast.JoinedStr):
        return any(_grows(model, v.value, scope, depth) for v in expr.values if isinstance(v, ast.FormattedValue))
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return any(_grows(model, e, scope, depth) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return any(_grows(model, v, scope, depth) for v in expr.values)
    if isinstance(expr, ast.BinOp):
        if isinstance(expr.op, ast.Mult):
            return _repeats(model, expr.left, expr.right, scope, depth) or _repeats(
                model, expr.right, expr.left, scope, depth
            )
        return _grows(model, expr.left, scope, depth) or _grows(model, expr.right, scope, depth)
    if isinstance(expr, ast.Name) and not isinstance(scope.node, ast.Module):
        values = _assigned_values(expr.id, scope)
        return any(_grows(model, value, scope, depth - 1) for value in values) or _filled_in_loop(scope, expr.id)
    if not isinstance(expr, ast.Call) or not isinstance(expr.func, (ast.Name, ast.Attribute)):
        return False
    qual = model.qual(expr.func, scope)
    if (isinstance(expr.func, ast.Attribute) and expr.func.attr in _READS) or qual in _READ_CALLS:
        return True
    if isinstance(expr.func, ast.Attribute) and expr.func.attr == "join" and isinstance(expr.func.value, ast.Constant):
        return bool(expr.args) and _grows_or_long(model, expr.args[0], scope, depth)
    if qual in _COPIES and len(expr.args) == 1:
        return _grows_or_long(model, expr.args[0], scope, depth)
    callee = model.resolve_function(expr.func, scope)
    return callee is not None and any(_grows(model, value, callee, depth - 1) for value in _returned(callee))


def _repeats(model: Module, sequence: ast.expr, times: ast.expr, scope: Scope, depth: int) -> bool:
    """Whether ``sequence * times`` repeats a sequence past a pipe's size, or a run-time number of times."""
    if isinstance(sequence, ast.Constant) and isinstance(sequence.value, (str, bytes)):
        size = len(sequence.value)
    elif isinstance(sequence, (ast.List, ast.Tuple)):
        size = 8 * max(1, len(sequence.elts))  # a pickled small item takes a few bytes
    else:
        return _grows(model, sequence, scope, depth)
    if isinstance(times, ast.Constant):
        count = times.value
        return isinstance(count, int) and not isinstance(count, bool) and size * count > _PIPE_BYTES
    return True  # a number known only at run time: as many as it says


def _grows_or_long(model: Module, expr: ast.expr, scope: Scope, depth: int) -> bool:
    """Whether what a copy or a join is given grows, or is a long range."""
    return _grows(model, expr, scope, depth) or _long_range(model, expr, scope)


def _long_range(model: Module, expr: ast.expr, scope: Scope) -> bool:
    """Whether ``expr`` is ``range(...)`` whose bounds are not short constants."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and model.qual(expr.func, scope) == "range"):
        return False
    return not all(
        isinstance(b, ast.Constant) and isinstance(b.value, int) and abs(b.value) <= _SHORT_RANGE for b in expr.args[:2]
    )


def _filled_in_loop(scope: Scope, name: str) -> bool:
    """Whether a local ``name`` is added to in a loop (``out.append(x)``, ``out[k] = v``, ``text += line``)."""
    for loop in scope.nodes:
        if not isinstance(loop, (ast.For, ast.While, ast.AsyncFor)):
            continue
        for node in ast.walk(loop):
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("append", "extend", "update", "add", "insert", "write")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name
            ):  # fmt: skip
                return True
            if (
                isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name
                and not _numeric(node.value) and not _a_counter(scope, name)
            ):  # fmt: skip
                return True  # (``text += line``; not ``n += 1``, a number: checkbox's busy loop counting iterations)
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name
                for t in node.targets
            ):
                return True
    return False


def _numeric(expr: ast.expr) -> bool:
    """Whether ``expr`` is a number literal (``1``, ``-0.5``)."""
    return type(_literal_value(expr)) in (int, float)


def _a_counter(scope: Scope, name: str) -> bool:
    """Whether every plain assignment of a local ``name`` (at least one) binds a number literal (``n = 0``): what
    ``+=`` adds to it keeps it a number."""
    values = [
        node.value for node in scope.nodes
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]  # fmt: skip
    return bool(values) and all(_numeric(v) for v in values)


def _assigned_values(name: str, scope: Scope) -> List[ast.expr]:
    """What a function's local ``name`` is assigned, when every binding of it is a plain ``name = value``
    (none at all otherwise: a loop variable, an augmented assignment, a parameter can be anything)."""
    if name in scope.params or name in scope.globals:
        return []
    values: List[ast.expr] = []
    own = scope.nodes
    for node in own:
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
            assigned = [a for a in own if isinstance(a, ast.Assign) and len(a.targets) == 1 and a.targets[0] is node]
            if not assigned:
                return []
            values.append(assigned[0].value)
    return values


def _returned(func: Scope) -> List[ast.expr]:
    """The values ``func``'s own ``return`` statements give (none when one returns nothing or it yields)."""
    values: List[ast.expr] = []
    for node in func.nodes:
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return []
        if isinstance(node, ast.Return):
            if node.value is None:
                return []
            values.append(node.value)
    return values


def _puts_on(model: Module, func: Optional[Scope], channel: str) -> bool:
    """Whether the child's target puts on ``channel`` (a parameter's name, or ``self.attr``) what the code
    shows can outgrow a pipe's buffer: a put in a loop, more than 16 puts, or a value that grows
    (:func:`_grows`). A join before the drain deadlocks only then: the child's feeder thread blocks on a
    full pipe. A value of a size the code does not show is not taken for one (a wrong finding costs more
    than a miss)."""
    if func is None:
        return False
    # not a loop over a list or a parameter of a size the code does not show (sglang's GPU pairs): few, maybe
    in_loop = _in_loops(func, lambda iterable: _long_loop(model, iterable, func))
    puts = [
        node
        for node in func.nodes
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("put", "put_nowait") and ast.unparse(node.func.value) == channel
    ]  # fmt: skip
    if not puts:
        return False
    return len(puts) > 16 or any(
        id(put) in in_loop or (bool(put.args) and _grows(model, put.args[0], func)) for put in puts
    )


def _long_loop(model: Module, iterable: ast.expr, scope: Scope) -> bool:
    """Whether a ``for`` loop over ``iterable`` is shown to be long: a range whose bounds are not short
    constants, or what the code shows grows (a file's lines, a comprehension, a copy of such)."""
    return _long_range(model, iterable, scope) or _grows(model, iterable, scope)


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _in_loops(scope: Scope, long: Optional[Callable[[ast.expr], bool]] = None) -> Set[int]:
    """Ids of the nodes of ``scope`` inside a loop (what a loop does may happen many times). With ``long``, only
    loops over an iterable it accepts (a ``while`` loop always counts)."""
    inside: Set[int] = set()
    for loop in scope.nodes:
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            iterables = [loop.iter]
        elif isinstance(loop, _COMPREHENSIONS):
            iterables = [g.iter for g in loop.generators]
        elif isinstance(loop, ast.While):
            iterables = []
        else:
            continue
        if long is None or not iterables or any(long(i) for i in iterables):
            inside.update(id(n) for n in ast.walk(loop))
    return inside


#: the fewest bytes a put sends (a 4-byte length, then a pickle of at least 4 bytes: ``None``)
_SMALLEST_PUT = 8
#: the largest pipe buffer of the platforms (Linux's 64 KiB)
_LARGEST_PIPE = 64 * 1024


def _range_length(model: Module, expr: ast.expr, scope: Scope) -> Optional[int]:
    """How many numbers ``range(...)`` with literal int bounds gives; None for anything else."""
    if not (isinstance(expr, ast.Call) and model.qual(expr.func, scope) == "range" and 1 <= len(expr.args) <= 3):
        return None
    bounds = [a.value for a in expr.args if isinstance(a, ast.Constant) and type(a.value) is int]
    return len(range(*bounds)) if len(bounds) == len(expr.args) and (len(bounds) < 3 or bounds[2]) else None


def _puts_many(model: Module, func: Scope, channel: str) -> bool:
    """Whether the child's target puts on ``channel`` in a ``for`` loop over a range so long that its items
    fill the largest pipe whatever they are (``for i in range(10000): q.put(...)``, cpython#91594: more
    than 8,192 puts of at least 8 bytes each), far more than one ``get()`` takes. A loop over anything else
    has a length the code does not show."""
    for loop in func.nodes:
        if not isinstance(loop, ast.For):
            continue
        length = _range_length(model, loop.iter, func)
        if length is not None and length * _SMALLEST_PUT > _LARGEST_PIPE + _SMALLEST_PUT:
            for node in (n for stmt in loop.body for n in ast.walk(stmt)):
                if (
                    isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("put", "put_nowait") and ast.unparse(node.func.value) == channel
                ):  # fmt: skip
                    return True
    return False


def _self_queues(func: Scope, known: bool = True) -> Iterator[str]:
    """The attributes of ``self`` that a method puts on (that its class knows as Queues, when ``known``)."""
    if func.cls is None or not func.params:
        return
    me = func.params[0]
    seen: Set[str] = set()
    for node in func.nodes:
        if (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("put", "put_nowait")
            and isinstance(node.func.value, ast.Attribute) and _is_name(node.func.value.value, me)
            and node.func.value.attr not in seen
            and (not known or func.cls.attr_kind(node.func.value.attr) == N.QUEUE)
        ):  # fmt: skip
            seen.add(node.func.value.attr)
            yield node.func.value.attr


def _init_param_of(init: Scope, attr: str) -> Optional[str]:
    """The ``__init__`` parameter that ``self.attr = param`` stores (a Process subclass handed its queue)."""
    assert init.cls is not None
    for where, value in init.cls.stored(attr):
        if where is init and isinstance(value, ast.Name) and value.id in init.params[1:]:
            return value.id
    return None


def _channels(model: Module, send: Send) -> Iterator[Tuple[str, str]]:
    """(the parent's expression for a queue, how the child's code names it) for each queue the child fills."""
    root = send.root
    assert root is not None
    if send.func is None:  # a Process subclass: its run() puts on what __init__ stored
        init = root.cls.method("__init__") if root.cls is not None else None
        if init is None or not init.params:
            return
        for attr in _self_queues(root, known=False):
            param = _init_param_of(init, attr)
            arg = model.argument(send.call, init.params.index(param) - 1, param) if param else None
            if isinstance(arg, ast.Name) and model.kind_of(arg, send.scope) == N.QUEUE:
                yield arg.id, f"{root.params[0]}.{attr}"
        return
    bound = root.cls is not None and isinstance(send.func, ast.Attribute) and bool(root.params)
    offset = 1 if bound else 0
    for index, arg in enumerate(send.args):
        if (
            index + offset < len(root.params) and isinstance(arg, ast.Name)
            and model.kind_of(arg, send.scope) == N.QUEUE
        ):  # fmt: skip
            yield arg.id, root.params[index + offset]
    if bound and isinstance(send.func, ast.Attribute):
        receiver = ast.unparse(send.func.value)
        for attr in _self_queues(root):
            yield f"{receiver}.{attr}", f"{root.params[0]}.{attr}"


@rule("MP114", preview=True)
def join_before_drain(model: Module) -> Iterator[Hit]:
    for send in model.sends:
        if send.via != "process" or send.root is None:
            continue
        scope = send.scope
        for proc, where in _process_names(model, send.call, scope):
            yield from _joined_before_drained(model, send, scope, proc, where)


def _process_names(model: Module, call: ast.Call, scope: Scope) -> List[Tuple[str, Optional[Set[int]]]]:
    """The names the Process made by ``call`` goes by in ``scope``, each with the nodes where it does (None:
    everywhere): the one it is assigned to (``p``, ``self.proc``), and a loop's name inside a loop over a list
    that holds it (``tasks = [Process(...)]``, then ``for t in tasks: t.join()``: whoosh's writer joins its
    workers so, kept on ``self.tasks`` and in another method, which is not followed; another loop's ``t`` is
    another object)."""
    bound = _bound_name(model, call, scope)
    names: List[Tuple[str, Optional[Set[int]]]] = [(bound, None)] if bound is not None else []
    loops: Dict[str, Set[int]] = {}
    for node in scope.nodes:
        if (
            isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id != bound
            and any(value is call for value in model._elements_of(node.iter, scope))
        ):  # fmt: skip
            loops.setdefault(node.target.id, set()).update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return names + list(loops.items())


def _joined_before_drained(
    model: Module, send: Send, scope: Scope, proc: str, where: Optional[Set[int]]
) -> Iterator[Hit]:
    """A join of ``proc`` (with no timeout; among the nodes ``where``, None: anywhere) after its start and before
    the first ``get()`` of a queue its child puts more on than a pipe holds."""
    assert send.root is not None
    for parent, child in _channels(model, send):
        if not _puts_on(model, send.root, child):
            continue
        nodes = list(scope.nodes)
        own = [n for n in nodes if where is None or id(n) in where]
        starts = [n for n in own if _method_call(n, proc, "start")]
        joins = [n for n in own if _method_call(n, proc, "join") and not _bounded(n)]
        get_nodes = [n for n in nodes if _method_call(n, parent, "get")]
        gets = [line_of(n) for n in get_nodes]
        looped = _in_loops(scope)
        bindings = [
            n for n in nodes
            if isinstance(n, ast.Assign) and any(ast.unparse(t) == proc for t in n.targets)
        ]  # fmt: skip
        for join in joins:
            start_line = max((line_of(s) for s in starts if line_of(s) < line_of(join)), default=None)
            if start_line is None:
                continue
            bound = max((b for b in bindings if line_of(b) <= start_line), key=line_of, default=None)
            if where is None and bound is not None and bound.value is not send.call:
                continue  # the name holds another Process by then (``p`` made again for the next child)
            before = [n for n in get_nodes if start_line < line_of(n) < line_of(join)]
            if not before and any(g > line_of(join) for g in gets):
                yield (
                    join,
                    f"`{proc}.join()` before `{parent}.get()`: the child cannot exit until its queue is drained",
                )
            elif len(before) == 1 and id(before[0]) not in looped and _puts_many(model, send.root, child):
                yield (
                    join,
                    f"`{proc}.join()` after a single `{parent}.get()`: the child puts more than a pipe holds "
                    "(in a long loop) and cannot exit until its queue is drained",
                )


def _bounded(join: ast.AST) -> bool:
    """Whether a ``join()`` gives up after a while (a timeout that is not a literal ``None``): it cannot
    wait for ever on a child blocked on a full pipe, so it cannot deadlock."""
    assert isinstance(join, ast.Call)
    timeout = Module.argument(join, 0, "timeout")
    return timeout is not None and not (isinstance(timeout, ast.Constant) and timeout.value is None)


def _bound_name(model: Module, call: ast.Call, scope: Scope) -> Optional[str]:
    """The name (``p``, ``self.proc``) the Process made by ``call`` is assigned to."""
    for node in scope.nodes:
        if isinstance(node, ast.Assign) and node.value is call and len(node.targets) == 1:
            target = node.targets[0]
            return ast.unparse(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
    return None


def _method_call(node: ast.AST, receiver: str, method: str) -> bool:
    """Whether ``node`` is ``<receiver>.<method>(...)``, ``receiver`` a name or a dotted ``self.q``."""
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
        and isinstance(node.func.value, (ast.Name, ast.Attribute)) and ast.unparse(node.func.value) == receiver
    )  # fmt: skip


# --- MP115 ---------------------------------------------------------------------------------------------
def _starter(model: Module, root: Scope) -> Optional[Tuple[Scope, ast.AST]]:
    """A start that happens every time ``root`` runs: in it, or in a function it calls, each step outside an
    ``if``/``while``/``except`` (deeptools' tasks reach a Pool only under ``if returnStats:``, which they never
    ask for: a daemonic child that may start one is no finding)."""
    seen: Set[Scope] = set()
    todo = [root]
    while todo:
        scope = todo.pop(0)
        if scope in seen:
            continue
        seen.add(scope)
        for node in scope.nodes:
            if (
                isinstance(node, ast.Call)
                and model.start_kind(node, scope) in ("process", "pool", "manager")
                and not _conditional(node, scope)
            ):
                return scope, node
        todo.extend(callee for call, callee in scope.model.calls(scope) if not _conditional(call, scope))
    return None


@rule("MP115", preview=True)
def daemon_with_children(model: Module) -> Iterator[Hit]:
    for send in model.sends:
        if send.root is None or not (send.daemon or send.via == "pool"):
            continue
        found = _starter(model, send.root)
        if found is not None:
            scope, start = found
            who = "a daemonic Process" if send.daemon else "a Pool worker (daemonic)"
            yield (
                send.report if send.daemon else send.func or send.call,
                f"`{send.root.name}()` starts a child process ({_place(model, scope.model, start)}) but runs in {who}",
            )


# --- MP116 ---------------------------------------------------------------------------------------------
def _method_compared(model: Module, test: ast.expr, scope: Scope, method_names: Set[str]) -> Optional[Set[str]]:
    """The start methods ``test`` compares the current one with (``m == "fork"``, ``m in (...)``)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.In))):
        return None
    left, right = test.left, test.comparators[0]
    if not _is_method_expr(model, left, scope, method_names):
        left, right = right, left
        if not _is_method_expr(model, left, scope, method_names):
            return None
    values = right.elts if isinstance(right, (ast.Tuple, ast.List, ast.Set)) else [right]
    found = {v.value for v in values if isinstance(v, ast.Constant) and v.value in METHODS}
    return found if found and len(found) == len(values) else None


def _method_compared_in_and(
    model: Module, test: ast.expr, scope: Scope, method_names: Set[str], op: type = ast.And
) -> Optional[Set[str]]:
    """The start methods one operand of an ``and`` (or of an ``or``, ``op``) compares the current one with
    (taskiq's worker: ``if configure_logging and get_start_method() == "spawn":``; deeplabcut's assembler:
    ``if chunk_size == 0 or get_start_method() == "spawn":``)."""
    if not (isinstance(test, ast.BoolOp) and isinstance(test.op, op)):
        return None
    found = [m for m in (_method_compared(model, v, scope, method_names) for v in test.values) if m is not None]
    return found[0] if len(found) == 1 else None


def _returns_unless_spawn(model: Module, node: ast.If, scope: Scope, method_names: Set[str]) -> bool:
    """``if get_start_method() != "spawn": return``, with code after it in the function: the code that follows
    is spawn's branch and the early exit fork's, and forkserver takes it (check50's ``_store_attributes()``:
    the run-time attributes its children need are kept only under spawn; under forkserver the check reads
    None, run)."""
    test = node.test
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.NotEq, ast.NotIn))
        and not node.orelse and node.body and isinstance(node.body[-1], (ast.Return, ast.Continue))
        and not any(isinstance(n, ast.Return) and n.value is not None for n in node.body)
    ):  # fmt: skip
        return False
    found = _method_compared(model, ast.Compare(test.left, [ast.Eq()], test.comparators), scope, method_names)
    if found != {"spawn"}:
        return False
    block = next((b for b in _blocks_of(scope) if any(stmt is node for stmt in b)), None)
    if block is None or block[-1] is node:
        return False
    after = block[[id(stmt) for stmt in block].index(id(node)) + 1 :]
    # not code that changes the environment a new interpreter starts with (torchrl sets PYTHONWARNINGS around a
    # spawn start): a forkserver child is forked by a server that started with the environment of its own start
    return not _changes_environ(model, after, scope)


def _changes_environ(model: Module, body: List[ast.stmt], scope: Scope) -> bool:
    """Whether ``body`` changes ``os.environ`` (an item set or deleted, a method that changes it, ``os.putenv``)."""
    for node in own_nodes(body):
        if (
            isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load)
            and model.qual(node.value, scope) in ("os.environ", "os.environb")
        ):  # fmt: skip
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if model.qual(func, scope) in N.ENVIRON_FUNCS:
                return True
            if (
                isinstance(func, ast.Attribute) and func.attr in N.ENVIRON_METHODS
                and model.qual(func.value, scope) in ("os.environ", "os.environb")
            ):  # fmt: skip
                return True
    return False


def _blocks_of(scope: Scope) -> Iterator[List[ast.stmt]]:
    """Every statement list of ``scope``'s own code: its body, and each body of its compound statements."""
    for n in [scope.node, *scope.nodes]:
        for name in ("body", "orelse", "finalbody"):
            block = getattr(n, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _configures_logging_in(model: Module, body: List[ast.stmt], scope: Scope) -> bool:
    """Whether a branch configures logging itself (``logging.basicConfig()``, ``dictConfig()``...)."""
    return any(
        isinstance(n, ast.Call) and (model.qual(n.func, scope) or "") in N.LOGGING_CONFIG for n in own_nodes(body)
    )


def _is_method_expr(model: Module, expr: ast.expr, scope: Scope, method_names: Set[str]) -> bool:
    """The process-wide start method: ``multiprocessing.get_start_method()`` or a name bound to it. A
    context's ``get_start_method()`` is not: ``get_context("spawn")`` answers "spawn" whatever runs."""
    if isinstance(expr, ast.Call):
        return model.qual(expr.func, scope) in N.GET_START_METHOD
    return isinstance(expr, ast.Name) and expr.id in method_names


def _only_raises(body: List[ast.stmt]) -> bool:
    return all(isinstance(stmt, (ast.Raise, ast.Assert, ast.Pass)) for stmt in body)


@rule("MP116", preview=True)
def two_start_methods(model: Module) -> Iterator[Hit]:
    for scope in [model.module, *model.scopes]:
        nodes = list(scope.nodes)
        method_names = {
            t.id
            for n in nodes
            if isinstance(n, ast.Assign) and _is_method_expr(model, n.value, scope, set())
            for t in n.targets if isinstance(t, ast.Name)
        }  # fmt: skip
        inner = {
            id(n.orelse[0])
            for n in nodes
            if isinstance(n, ast.If) and len(n.orelse) == 1 and isinstance(n.orelse[0], ast.If)
        }
        for node in nodes:
            if not isinstance(node, ast.If) or id(node) in inner:
                continue
            if _returns_unless_spawn(model, node, scope, method_names):
                yield (
                    node,
                    "forkserver takes the early exit written for fork, though its children re-import like spawn's: "
                    "what follows runs for spawn only",
                )
                continue
            covered: Set[str] = set()
            branch: Optional[ast.If] = node
            has_else = False
            else_body: List[ast.stmt] = []
            joined = False  # ``if configure and get_start_method() == "spawn":``
            either = False  # ``if serial or get_start_method() == "spawn": ... else: ...``
            while branch is not None:
                found = _method_compared(model, branch.test, scope, method_names)
                if found is None and branch is node and not node.orelse:
                    found = _method_compared_in_and(model, node.test, scope, method_names)
                    joined = found is not None
                if found is None and branch is node and node.orelse:
                    # ``if serial or m == "spawn": ... else: <fork's way>``: the else runs for whatever is not spawn
                    found = _method_compared_in_and(model, node.test, scope, method_names, ast.Or)
                    either = found == {"spawn"}
                    found = found if either else None
                if found is None:
                    covered = set()
                    break
                covered |= found
                rest = branch.orelse
                if len(rest) == 1 and isinstance(rest[0], ast.If):
                    branch = rest[0]
                else:
                    has_else, else_body = bool(rest), rest
                    branch = None
            if not covered or "forkserver" in covered:
                continue
            if not has_else and covered == {"spawn"} and _configures_logging_in(model, node.body, scope):
                yield (
                    node,
                    "forkserver skips the logging set-up written for spawn, though its children re-import like "
                    "spawn's: they start with no handler",
                )
            elif joined:
                continue
            elif has_else and covered == {"spawn"} and not _only_raises(else_body):
                yield (
                    node,
                    "forkserver takes the branch written for fork (`else`) though its children re-import like spawn's",
                )
            elif not has_else and covered == {"fork", "spawn"}:
                yield node, "the start method is compared with fork and spawn only: under forkserver no branch runs"


# --- MP117 ---------------------------------------------------------------------------------------------
def _params_receiving(model: Module, kind: str) -> Iterator[Tuple[Send, str, ast.expr]]:
    """(send, parameter of its child function, argument) for each argument of ``kind`` sent to a child."""
    for send in model.sends:
        if send.root is None or send.func is None:
            continue
        offset = 1 if send.root.cls is not None else 0
        for index, arg in enumerate(send.args):
            if model.kind_of(arg, send.scope) == kind and index + offset < len(send.root.params):
                yield send, send.root.params[index + offset], arg


def _value_attr(node: ast.AST, param: str) -> bool:
    return (
        isinstance(node, ast.Attribute) and node.attr == "value"
        and isinstance(node.value, ast.Name) and node.value.id == param
    )  # fmt: skip


def _is_lock_guard(expr: ast.expr, param: str) -> bool:
    """``with param.get_lock():``, or ``with mutex:`` / ``with self.lock:``: a name, not a call (a call such
    as ``open(...)`` makes something else)."""
    if isinstance(expr, ast.Call):
        return _method_call(expr, param, "get_lock")
    return isinstance(expr, (ast.Name, ast.Attribute))


def _locked(func: Scope, param: str) -> Set[int]:
    """Ids of the nodes of ``func`` that run while a lock is held: ``param.get_lock()`` or another lock
    that serialises the update as well (``with mutex:``, or between ``mutex.acquire()`` and
    ``mutex.release()`` in one block, as multiprocessing's own examples do)."""
    inside: Set[int] = set()
    for node in func.nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _is_lock_guard(i.context_expr, param) for i in node.items
        ):
            inside.update(id(n) for n in own_nodes(node.body))
    for block in [func.node, *func.nodes]:
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(block, field, None)
            if not isinstance(statements, list):
                continue
            held: Set[str] = set()
            for statement in statements:
                call = statement.value if isinstance(statement, ast.Expr) else None
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    owner = ast.dump(call.func.value)
                    if call.func.attr == "acquire":
                        held.add(owner)
                        continue
                    if call.func.attr == "release":
                        held.discard(owner)
                        continue
                if held:
                    inside.update(id(n) for n in ast.walk(statement))
    return inside


def _repeated(send: Send) -> bool:
    """Whether ``send`` may start more than one child: in a loop or comprehension, or a pool's tasks."""
    if send.via != "process":
        return True
    loops = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)
    return any(isinstance(node, loops) and any(n is send.call for n in ast.walk(node)) for node in send.scope.nodes)


@rule("MP117", preview=True)
def value_race(model: Module) -> Iterator[Hit]:
    seen: Set[Tuple[int, str]] = set()
    received = list(_params_receiving(model, N.VALUE))
    for send, param, arg in received:
        func = send.root
        assert func is not None
        writers = sum(
            1 for s, _, a in received if isinstance(a, ast.Name) and isinstance(arg, ast.Name) and a.id == arg.id
        )
        if not (_repeated(send) or writers > 1):
            continue  # one child alone cannot race with itself
        if (id(func), param) in seen or param in _rebound(func):
            continue
        seen.add((id(func), param))
        locked = _locked(func, param)
        copies: Set[str] = set()  # local names holding a read of param.value
        for node in func.nodes:
            if isinstance(node, ast.Assign) and _value_attr(node.value, param) and id(node) not in locked:
                copies.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in func.nodes:
            if id(node) in locked:
                continue
            if isinstance(node, ast.AugAssign) and _value_attr(node.target, param):
                yield (
                    node,
                    f"`{param}.value` is updated without `{param}.get_lock()`: read and write are separate steps",
                )
            elif isinstance(node, ast.Assign) and any(_value_attr(t, param) for t in node.targets):
                used = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
                if used & copies or any(_value_attr(n, param) for n in ast.walk(node.value)):
                    yield (
                        node,
                        (
                            f"`{param}.value` is written from a value read earlier without `{param}.get_lock()` held "
                            "around both"
                        ),
                    )


def _rebound(func: Scope) -> Set[str]:
    return {n.id for n in func.nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


# --- MP118 ---------------------------------------------------------------------------------------------
def _context_method(model: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
    """The literal start method of the context ``expr`` is (``get_context("fork")`` or a name bound to it)."""
    if isinstance(expr, ast.Call) and model.qual(expr.func, scope) in N.GET_CONTEXT:
        arg = model.argument(expr, 0, "method")
        return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
    if isinstance(expr, ast.Name):
        binder = model.lookup_scope(expr.id, scope)
        values = [
            n.value
            for n in binder.nodes
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
        ]
        methods = {_context_method(model, v, binder) for v in values}
        return methods.pop() if len(methods) == 1 else None
    return None


def _sets_start_method(model: Module) -> bool:
    """Whether the module calls ``set_start_method()`` anywhere (the default context's method is then its)."""
    return any(
        isinstance(node, ast.Call) and model.qual(node.func, scope) in N.SET_START_METHOD
        for scope in [model.module, *model.scopes]
        for node in scope.nodes
    )


def _made_by(model: Module, expr: ast.expr, scope: Scope) -> Optional[str]:
    """The start method of the context whose factory made ``expr`` (``ctx.Queue()``, or a name bound to one)."""
    if isinstance(expr, ast.Call) and model.qual(expr.func, scope) in N.DEFAULT_SYNC:
        return DEFAULT  # ``multiprocessing.Queue()``: the default context's, fork's where the default is fork
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return _context_method(model, expr.func.value, scope)
    if isinstance(expr, ast.Name):
        binder = model.lookup_scope(expr.id, scope)
        values = [
            n.value
            for n in binder.nodes
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
        ]
        methods = {_made_by(model, v, binder) for v in values}
        return methods.pop() if len(methods) == 1 else None
    return None


@rule("MP118", preview=True)
def mixed_context_sync(model: Module) -> Iterator[Hit]:
    for send in model.sends:
        if send.via != "process" or not isinstance(send.call.func, ast.Attribute):
            continue
        method = _context_method(model, send.call.func.value, send.scope)
        if method not in ("spawn", "forkserver"):
            continue
        for arg in send.args:
            if model.kind_of(arg, send.scope) not in (N.QUEUE, N.LOCK, N.VALUE):
                continue
            made = _made_by(model, arg, send.scope)
            if made == "fork":
                yield arg, f"made by the fork context and handed to a {method} Process: its semaphore cannot be shared"
            elif made == DEFAULT and not _sets_start_method(model) and not _imported_by_tests(model):
                # numba#9192: where the default is fork (Linux before 3.14), as much a fork context's (run: 3.11's
                # RuntimeError "A SemLock created in a fork context is being shared with a process in a spawn
                # context"); a module that sets the method, or a test module a conftest may set it for: silent
                yield (
                    arg,
                    f"made by the default context and handed to a {method} Process: where the default is fork "
                    "(Linux before 3.14) its semaphore cannot be shared",
                )


# --- MP119 ---------------------------------------------------------------------------------------------
#: the signal a process gets when one of its own children ends (SIGCLD: its System V name)
_SIGCHLD = ("SIGCHLD", "SIGCLD")


def _may_be_forkserver(send: Send) -> bool:
    """Whether the child ``send`` starts may be forked by a fork server (its method is not a literal fork or
    spawn: a default one, or forkserver's)."""
    return send.method not in ("fork", "spawn")


def _ppid_as_starter(model: Module, scope: Scope) -> Iterator[ast.AST]:
    """Where ``scope`` takes ``os.getppid()`` for the process that started it: compared with a pid that is
    not a constant (``os.getppid() == starter_pid``; ``!= 1``, the orphan check, holds under a fork server
    too, which ends with its starter), or signalled (``os.kill(os.getppid(), sig)``)."""

    def ppid(expr: ast.AST) -> bool:
        return isinstance(expr, ast.Call) and not expr.args and model.qual(expr.func, scope) == "os.getppid"

    for node in scope.nodes:
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(ppid(o) for o in operands) and not any(isinstance(o, ast.Constant) for o in operands):
                yield node
        elif (
            isinstance(node, ast.Call)
            and model.qual(node.func, scope) == "os.kill"
            and node.args
            and ppid(node.args[0])
        ):
            yield node


def _restores_saved(model: Module, event: Event) -> bool:
    """Whether the handler ``event`` installs is one saved before (``old = signal.signal(...)`` or
    ``signal.getsignal(...)``, then ``signal.signal(SIGCHLD, old)``): most often the default put back."""
    call = event.node
    handler = call.args[1] if isinstance(call, ast.Call) and len(call.args) > 1 else None
    if not isinstance(handler, ast.Name):
        return False
    binder = event.scope.model.lookup_scope(handler.id, event.scope)
    for node in binder.nodes:
        if (
            isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            and any(isinstance(t, ast.Name) and t.id == handler.id for t in node.targets)
            and binder.model.qual(node.value.func, binder) in ("signal.signal", "signal.getsignal")
        ):  # fmt: skip
            return True
    return False


def _sigchld_set_where_processes_start(model: Module, sends: List[Send]) -> Iterator[Event]:
    """The events that set SIGCHLD's handler (``signal``: a Python function; ``signal_ignore``: SIG_IGN) on an
    entry path that starts a Process of ``sends``, or in a method of an object that goes on to start one
    (spack's ``install()``); not one that puts back a handler saved before."""
    starters = {id(s.scope) for s in sends if s.via == "process"}
    if not starters:
        return
    for path in model.paths:
        on_path = any(e.kind == "start" and e.detail == "process" for e in path.events)
        for event in path.with_objects or path.events:
            if not on_path and not event.through:
                continue
            if event.through and not any(id(r) in starters for r in model.reach([event.scope])):
                continue
            if (
                event.kind in ("signal", "signal_ignore") and _names_signal(event.detail, _SIGCHLD)
                and not _restores_saved(model, event)
            ):  # fmt: skip
                yield event


def _only_reaps(model: Module, event: Event) -> bool:
    """Whether the SIGCHLD handler ``event`` installs only reaps ended children (:data:`mpcheck.methods.
    REAPS_CHILDREN`: websockify's ``os.waitpid(-1, WNOHANG)`` loop, ``multiprocessing.active_children()``), using
    nothing but its own locals: where a fork server's children never signal this process, the server reaps them,
    and nothing the program keeps is missed (websockify#101, run: it works under forkserver alone)."""
    call, scope = event.node, event.scope
    handler = call.args[1] if isinstance(call, ast.Call) and len(call.args) > 1 else None
    found = scope.model.resolve_function(handler, scope) if handler is not None else None
    if found is None:
        return False
    reaps = False
    for node in found.nodes:
        if isinstance(node, ast.Call):
            q = found.model.qual(node.func, found)
            if q not in REAPS_CHILDREN:
                return False
            reaps = True
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            return False  # it keeps something: ``self.ended.append``, ``done[pid] = ...``
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            return False
    return reaps


def _waits_for_process(model: Module, scope: Scope) -> Iterator[ast.AST]:
    """Where ``scope`` calls ``os.waitpid()`` on a Process's pid (``os.waitpid(p.pid, 0)``)."""
    for node in scope.nodes:
        if isinstance(node, ast.Call) and model.qual(node.func, scope) == "os.waitpid" and node.args:
            pid = node.args[0]
            if isinstance(pid, ast.Attribute) and pid.attr == "pid" and model.kind_of(pid.value, scope) == N.PROCESS:
                yield node


@rule("MP119", preview=True)
def forkserver_not_parent(model: Module) -> Iterator[Hit]:
    """A Python SIGCHLD handler in a program that starts Processes, ``os.waitpid()`` on a Process's pid,
    and ``os.getppid()`` taken for the starter in a child: a forkserver child is the fork server's, not the
    starter's."""
    if not _applies(model, "MP119"):
        return
    sends = [s for s in model.sends if _may_be_forkserver(s)]
    seen: Set[int] = set()
    for event in _sigchld_set_where_processes_start(model, sends):
        if event.kind == "signal" and id(event.report) not in seen and not _only_reaps(model, event):
            seen.add(id(event.report))
            yield (
                event.report,
                "a SIGCHLD handler where Processes are started: a forkserver child's end signals the fork "
                "server, not this process",
            )
    if any(s.via == "process" for s in sends):
        for scope in [model.module, *model.scopes]:
            for node in _waits_for_process(model, scope):
                yield (
                    node,
                    "os.waitpid() on a Process's pid: a forkserver child is the fork server's, not this process's",
                )
    for scope in model.reach([s.root for s in sends if s.root is not None]):
        if scope.model is not model:
            continue  # another module's code: found where it is
        for node in _ppid_as_starter(model, scope):
            if id(node) not in seen:
                seen.add(id(node))
                yield (
                    node,
                    "os.getppid() taken for the starter's pid in a child: a forkserver child's parent is the fork "
                    "server",
                )


# --- MP120 ---------------------------------------------------------------------------------------------
def _made_once_at_import(model: Module) -> Iterator[Tuple[str, ast.Assign, ast.Call]]:
    """(name, statement, call) for each ``name = call(...)`` of the module's top level (outside the main block)
    whose name nothing else binds: neither the module's code nor a function's ``global`` (MP120's objects and
    MP121's generators are the import's own only then)."""
    rebound = {name for scope in model.scopes for name in scope.globals}
    counts: Dict[str, int] = {}
    for node in model.module.nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            counts[node.id] = counts.get(node.id, 0) + 1
    for stmt in model.tree.body:
        if (
            isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
            and stmt.targets[0].id not in rebound and counts.get(stmt.targets[0].id, 0) == 1
        ):  # fmt: skip
            yield stmt.targets[0].id, stmt, stmt.value


def _import_time_sync_objects(model: Module) -> Iterator[Tuple[str, ast.Assign, str]]:
    """(name, its binding, what it is) for each Queue, Lock, Event or Value the module's top-level code makes
    (outside the main block) and binds to a name nothing else binds: not one a function sets again (a pool
    worker's initializer that sets the global to the object it is handed)."""
    for name, stmt, call in _made_once_at_import(model):
        what = _sync_object_made(model, call)
        if what is not None:
            yield name, stmt, what


def _sync_object_made(model: Module, call: ast.Call) -> Optional[str]:
    """What Queue, Lock, Event or Value a call the module's import runs makes (``multiprocessing.Lock()``, a
    context's that is not pinned to fork), else None."""
    func, module = call.func, model.module
    q = model.qual(func, module) or ""
    if q in N.SYNC_OBJECTS:
        return q.rpartition(".")[2]
    if (
        isinstance(func, ast.Attribute) and func.attr in N.SYNC_ATTRS
        and model.kind_of(func.value, module) == N.CONTEXT and model.context_method(func.value, module) != "fork"
    ):  # fmt: skip
        return func.attr
    return None


def _class_body_sync_objects(model: Module) -> Iterator[Tuple[ClassInfo, str, ast.Assign, str]]:
    """(class, attribute, its binding, what it is) for each Queue, Lock, Event or Value made in the body of a class
    the module's import defines (pytest-concurrent's ``LOCK = multiprocessing.Lock()`` in a class body), to an
    attribute nothing sets again (``Mode.LOCK = ...``, ``self.LOCK = ...``, ``cls.LOCK = ...`` anywhere)."""
    stored = {
        node.attr for node in ast.walk(model.tree)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del))
    }  # fmt: skip
    for top in import_time_statements(model.tree):
        info = model.classes.get(top.name) if isinstance(top, ast.ClassDef) else None
        if info is None or info.node is not top:
            continue
        names = [
            t.id for stmt in top.body if isinstance(stmt, ast.Assign) for t in stmt.targets if isinstance(t, ast.Name)
        ]
        for stmt in top.body:
            if not (
                isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call)
            ):  # fmt: skip
                continue
            attr = stmt.targets[0].id
            what = _sync_object_made(model, stmt.value)
            if what is not None and attr not in stored and names.count(attr) == 1:
                yield info, attr, stmt, what


def _global_readers(model: Module, name: str, scopes: Iterable[Scope]) -> List[Scope]:
    """The scopes of ``scopes`` (of this module) that read its global ``name``."""
    return [r for r in scopes if r.model is model and name in model.global_reads(r)]


def _class_attribute_readers(model: Module, info: ClassInfo, attr: str, scopes: Iterable[Scope]) -> List[Scope]:
    """The scopes of ``scopes`` that read ``attr`` of class ``info`` through the class's name, or through ``self``
    or ``cls`` in a method of the class."""
    found = []
    for scope in scopes:
        if scope.model is not model:
            continue
        for node in scope.nodes:
            if not (isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Load)):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and (
                (owner.id == info.name and model.lookup_scope(owner.id, scope).is_module)
                or (scope.cls is info and bool(scope.params) and owner.id == scope.params[0])
            ):
                found.append(scope)
                break
    return found


@rule("MP120", preview=True)
def global_sync_object(model: Module) -> Iterator[Hit]:
    """A Queue, Lock, Event or Value made at import, read through the module's global by a function that runs in
    a child: a spawn or forkserver child's import makes its own (Network-intrusion-dataset-creator#1, run)."""
    if not _applies(model, "MP120"):
        return
    made = list(_import_time_sync_objects(model))
    in_classes = list(_class_body_sync_objects(model))
    if not made and not in_classes:
        return
    counted = {lock for lock, _, _ in _counter_updates(model)}  # MP104's: a lock guarding a counter
    sends = [s for s in model.sends if s.root is not None and s.root.model is model]
    Readers = Callable[[Iterable[Scope]], List[Scope]]
    candidates: List[Tuple[str, ast.Assign, str, Readers, str, str]] = [
        (name, stmt, what, functools.partial(_global_readers, model, name), "at import", "the module's global")
        for name, stmt, what in made
        if name not in counted
    ]
    candidates += [
        (f"{info.name}.{attr}", stmt, what, functools.partial(_class_attribute_readers, model, info, attr),
         "in the class body at import", "the class")
        for info, attr, stmt, what in in_classes
    ]  # fmt: skip
    for shown, stmt, what, readers_of, made_where, through in candidates:
        for send in sends:
            if model.send_method(send) == "fork" or (send.method is None and _made_by_unread_context(model, send)):
                continue  # a fork child has the parent's object; a method that cannot be read: silent
            assert send.root is not None
            readers = readers_of(model.reach([send.root]))
            if readers:
                reader = min(readers, key=_where)
                article = "an" if what[0] in "AEIOU" else "a"
                yield (
                    stmt,
                    f"`{shown}` ({article} {what}) is made {made_where} and used by `{reader.name}()` in a child "
                    f"through {through}: a spawn or forkserver child's import makes its own, not the parent's",
                )
                break


# --- MP121 ---------------------------------------------------------------------------------------------
def _import_time_generators(model: Module) -> Iterator[Tuple[str, ast.Assign, str]]:
    """(name, its binding, what made it) for each random generator the module's top-level code makes seeded from
    the OS (no seed given) and binds to a name nothing else binds."""
    for name, stmt, call in _made_once_at_import(model):
        q = model.qual(call.func, model.module) or ""
        seeds = [*call.args, *(k.value for k in call.keywords)]
        if q in N.UNSEEDED_GENERATORS and all(isinstance(v, ast.Constant) and v.value is None for v in seeds):
            yield name, stmt, q


def _reseeds(model: Module, scopes: Iterable[Scope], name: Optional[str]) -> bool:
    """Whether one of ``scopes`` (the children's code) reseeds: ``name.seed(...)`` for the module's generator
    ``name``, ``numpy.random.seed(...)`` for numpy's global one (None)."""
    for scope in scopes:
        for node in scope.nodes:
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                name is not None
                and isinstance(func, ast.Attribute)
                and func.attr == "seed"
                and _is_name(func.value, name)
            ):
                return True
            if name is None and scope.model.qual(func, scope) == N.NUMPY_SEED:
                return True
    return False


def _imported_at_top(scope: Scope, func: ast.expr) -> bool:
    """Whether the name ``func`` starts from (``np`` of ``np.random.rand``) is bound by the module's top-level
    imports: the module is imported by the parent, so numpy is too, before any child is forked."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and scope.model.lookup_scope(func.id, scope).is_module


def _parent_uses_numpy_global(model: Module, children: Set[Scope]) -> bool:
    """Whether the parent's own code (not what runs in a child) seeds or draws from numpy's global generator: numpy
    2 seeds it at its first use, so a fork child of a parent that never used it seeds its own (numpy 1 seeded it at
    import: a copy in every case)."""
    return any(
        isinstance(node, ast.Call) and model.qual(node.func, scope) in N.NUMPY_GLOBAL_DRAWS | {N.NUMPY_SEED}
        for scope in [model.module, *model.scopes]
        if scope not in children
        for node in scope.nodes
    )


@rule("MP121", preview=True)
def generator_copied_at_fork(model: Module) -> Iterator[Hit]:
    """A random generator made before the children start (a module's, seeded from the OS at import; numpy's
    global one), drawn from in a child that may be forked and never reseeds it: every fork child starts from the
    same state (ChineseCheckersAgent#47, run)."""
    if not _applies(model, "MP121"):
        return
    forked = [s for s in model.sends if s.root is not None and model.send_method(s) in ("fork", DEFAULT)]
    if not forked:
        return
    reached = model.reach([s.root for s in forked if s.root is not None])
    # ``initializer=rng.seed``, ``initializer=np.random.seed``: each worker reseeds before its first task
    inits = [s.func for s in model.sends if s.via == "initializer" and isinstance(s.func, ast.Attribute)]
    seeded = {f.value.id for f in inits if f.attr == "seed" and isinstance(f.value, ast.Name)}
    numpy_seeded = any(model.qual(f, model.module) == N.NUMPY_SEED for f in inits)
    for name, stmt, what in _import_time_generators(model):
        readers = [r for r in reached if r.model is model and name in model.global_reads(r)]
        if readers and name not in seeded and not _reseeds(model, reached, name):
            reader = min(readers, key=_where)
            yield (
                stmt,
                f"`{name}` (`{what}()`, seeded from the OS at import) is drawn from by `{reader.name}()` in a child: "
                "a fork child starts from a copy of its state, so every child draws the same numbers",
            )
    if numpy_seeded or _reseeds(model, reached, None) or not _parent_uses_numpy_global(model, reached):
        return
    for scope in sorted(reached, key=_where):
        if scope.model is not model:
            continue
        for node in scope.nodes:
            q = model.qual(node.func, scope) if isinstance(node, ast.Call) else None
            if q in N.NUMPY_GLOBAL_DRAWS and _imported_at_top(scope, node.func):  # type: ignore[attr-defined]
                yield (
                    node,
                    f"`{q}()` in `{scope.name}()`, which runs in a child, draws from numpy's global generator: a "
                    "fork child starts from a copy of its state (numpy does not reseed it), so every child draws "
                    "the same numbers",
                )
                break


# --- MP122 ---------------------------------------------------------------------------------------------
def _reaps_any_child(model: Module, event: Event) -> Optional[Tuple[ast.Call, Module]]:
    """The call of the SIGCHLD handler ``event`` installs (or of a function it calls) that reaps whichever child
    ended (:data:`mpcheck.methods.REAPS_ANY_CHILD`: ``os.wait()``, ``os.waitpid(-1, ...)``), and its module; None
    when it has none, or the handler is not the program's own function."""
    call, scope = event.node, event.scope
    handler = call.args[1] if isinstance(call, ast.Call) and len(call.args) > 1 else None
    found = scope.model.resolve_function(handler, scope) if handler is not None else None
    if found is None:
        return None
    for inner in sorted(model.reach([found]), key=_where):
        for node in inner.nodes:
            if not isinstance(node, ast.Call) or inner.model.qual(node.func, inner) not in REAPS_ANY_CHILD:
                continue
            position = REAPS_ANY_CHILD[inner.model.qual(node.func, inner) or ""]
            if position is None or any_child_pid(_literal_value(argument(node, position, "pid"))):
                return node, inner.model  # (os.wait() and os.wait3() take no pid)
    return None


@rule("MP122", preview=True)
def exit_status_stolen(model: Module) -> Iterator[Hit]:
    """A SIGCHLD handler that reaps any child, or SIGCHLD ignored, where Processes are started that may be
    fork or spawn children (not a literal forkserver's): their exit status is taken before multiprocessing
    waits for it."""
    if not _applies(model, "MP122"):
        return
    sends = [s for s in model.sends if s.method != "forkserver"]
    seen: Set[int] = set()
    for event in _sigchld_set_where_processes_start(model, sends):
        if id(event.report) in seen:
            continue
        where = "" if event.node is event.report else f" at {_site(model, event)}"
        if event.kind == "signal_ignore":
            seen.add(id(event.report))
            yield (
                event.report,
                f"SIGCHLD is ignored{where} where Processes are started: the kernel discards a fork or spawn child's "
                "exit status, so its exitcode stays None and is_alive() says True",
            )
            continue
        reaps = _reaps_any_child(model, event)
        if reaps is not None:
            call, owner = reaps
            seen.add(id(event.report))
            yield (
                event.report,
                f"a SIGCHLD handler{where} reaps any child (`{ast.unparse(call.func)}()`, "
                f"{_place(model, owner, call)}) where Processes are started: it takes a fork or "
                "spawn child's exit status before multiprocessing does, so its exitcode stays None and is_alive() "
                "says True",
            )
