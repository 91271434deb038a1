"""Make a start method the default in every Python, and count the processes started through it.

The forced default start method of ``pytest --mp-start-method`` and ``mpcheck suite``, and of a probe's
cells (:func:`make_default_now`), and exposure.

``MPCHECK_START_METHOD=METHOD`` in the environment makes METHOD the default start method of every
Python that starts with it: the pytest process, its pytest-xdist workers, and the interpreters its
tests start (``subprocess.run([sys.executable, ...])``). The ``mpcheck_start_method.pth`` file that
the package installs calls :func:`install_from_env` at interpreter start-up, and only when the variable
is set: every Python start on the machine reads that line, so unset it costs one dict lookup.

The method becomes the *default*, it is not *set*: a program (a conftest, a test) that calls
``set_start_method()`` itself still may, without ``force=True``, as it would without mpcheck. Nothing
is imported early: a meta-path hook waits for
``multiprocessing.context`` (and the copies of it in :data:`mpcheck.methods.PROCESS_PACKAGES`) to be imported.

Exposure: the default context is replaced by a copy of the concrete context whose ``Process`` class
is a marked subclass, so a process started through the default context is told apart from one started
through an explicit context even where the default was resolved into a concrete context on the way
(``Pool()``, ``Manager()``, ``ProcessPoolExecutor()`` without a context call ``get_context()``).

Stdlib only, imported at interpreter start-up when the variable is set: keep it small.
"""

from __future__ import annotations

import _thread
import os
import sys

from ..methods import PROCESS_PACKAGES
from ..startup import when_imported

TYPE_CHECKING = False  # not typing's: typing costs milliseconds at start-up (see mpcheck.expect)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional, Set, Tuple

ENV = "MPCHECK_START_METHOD"
#: The context modules of multiprocessing and of its separately packaged copies (torch.multiprocessing
#: re-exports multiprocessing's own: nothing of its own to patch).
CONTEXT_MODULES = tuple(f"{package}.context" for package in PROCESS_PACKAGES)

#: (kind, method) -> processes started, since the last :func:`reset_counts`; kind is default/explicit.
counts: Dict[Tuple[str, str], int] = {}
_marked: Dict[type, type] = {}  # concrete Process class -> its marked subclass
#: called once, with nothing, at this process's first count that the forced default can reach (not a start
#: through an explicit context): ``mpcheck suite``'s agent tells its supervisor that the later methods will
#: have a test to run (their pytest is not started before)
on_reachable: Optional[Callable[[], None]] = None


def _reduce_as_base(self: Any, protocol: int) -> Any:
    """Pickle a marked process as its concrete class: a spawn child need not know the marker.

    ``copyreg._reconstructor`` (what protocols 0 and 1 use) rather than ``copyreg.__newobj__``, which
    pickle refuses for a class other than the object's own.
    """
    import copyreg

    cls = type(self)
    base = getattr(cls, "_mpcheck_marked_base", None)
    if base is None or _marked.get(base) is not cls:  # a subclass of the marked class: its own name
        return object.__reduce_ex__(self, protocol)
    return (
        copyreg._reconstructor,  # type: ignore[attr-defined]
        (base, object, None),
        self.__dict__,
    )


def _marked_process(base: type) -> type:
    marked = _marked.get(base)
    if marked is None:
        marked = type(
            base.__name__,
            (base,),
            {
                "_mpcheck_default": True,
                "_mpcheck_marked_base": base,
                "__reduce_ex__": _reduce_as_base,
                "__module__": base.__module__,
                "__qualname__": base.__qualname__,
            },
        )
        _marked[base] = marked
    return marked


def make_default(module: Any, method: str, mark: bool = True) -> bool:
    """Make ``method`` the default of ``module`` (a ``multiprocessing.context``); False if it cannot.

    ``mark``: the default is a marked copy of the concrete context (exposure counting); otherwise the
    concrete context itself.
    """
    default = getattr(module, "_default_context", None)
    concretes = getattr(module, "_concrete_contexts", None)
    if default is None or not isinstance(concretes, dict) or not hasattr(default, "_default_context"):
        return False
    concrete = concretes.get(method)
    if concrete is None:
        return False  # the platform lacks it: pytest's process says so, children carry on
    if mark:
        try:
            copy = type(concrete)()
            copy.Process = _marked_process(concrete.Process)
            concrete = copy
        except Exception:
            pass  # an unexpected layout: the concrete context, unmarked
    default._default_context = concrete
    return True


def install(method: str) -> None:
    """Make ``method`` the default now in every context module already imported, later in the others."""
    for name in CONTEXT_MODULES:
        when_imported(name, _Default(method, mark=name == "multiprocessing.context"))


class _Default:
    """:func:`make_default` for one method, as a callback of :func:`mpcheck.startup.when_imported`
    (equal to another of the same method, so installing twice registers it once)."""

    def __init__(self, method: str, mark: bool) -> None:
        self.method, self.mark = method, mark

    def __call__(self, module: Any) -> None:
        make_default(module, self.method, mark=self.mark)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Default) and (other.method, other.mark) == (self.method, self.mark)

    def __hash__(self) -> int:
        return hash((self.method, self.mark))


def make_default_now(method: str) -> None:
    """Make ``method`` the default of stdlib multiprocessing in this interpreter, unmarked (a cell's
    bootstrap: the probe's program may still call ``set_start_method()`` itself)."""
    from multiprocessing import context

    if not make_default(context, method, mark=False):
        import multiprocessing

        multiprocessing.set_start_method(method)  # private layout changed: the nearest public way


def install_from_env() -> None:
    """The ``.pth`` hook's entry: honour ``MPCHECK_START_METHOD`` in this interpreter (and, under
    ``mpcheck suite``, note whether it starts processes of its own: :data:`CHILD_ENV`)."""
    method = os.environ.get(ENV)
    if method:
        install(method)
        if os.environ.get(CHILD_ENV):
            for package in PROCESS_PACKAGES:
                when_imported(f"{package}.process", _counted(package))


#: ``mpcheck suite``'s folder, in the environment of what its pytest starts: a process other than the
#: pytest that counts (:data:`_owner`) that starts a process leaves a file there, so the suite knows a
#: child started processes of its own (a test whose own processes are all of explicit contexts may then
#: still reach the forced method through them)
CHILD_ENV = "MPCHECK_CHILD_STARTS"
CHILD_FILE = "child-started-"
_owner = 0  # the pid of the pytest that counts (count_starts)


def _child_started() -> None:
    folder = os.environ.get(CHILD_ENV)
    if not folder:
        return
    try:
        with open(os.path.join(folder, f"{CHILD_FILE}{os.getpid()}"), "a"):
            pass
    except OSError:  # the run is over (its folder removed)
        pass


# --- exposure: which processes a test started, through which context ------------------------------


def reset_counts() -> None:
    counts.clear()


def _record(process: Any, package: str = "multiprocessing") -> None:
    context: Any = sys.modules.get(f"{package}.context")
    default_ctx: Any = getattr(context, "_default_context", None)
    base_process = getattr(context, "Process", None)
    if isinstance(base_process, type) and isinstance(process, base_process):
        # Process() or a subclass of it (class Task(Process)): resolves the default at start()
        kind = "default"
        method = default_ctx.get_start_method()
    elif getattr(type(process), "_mpcheck_default", False) or package != "multiprocessing":
        # the marked default (stdlib), or multiprocess/billiard, whose default the forced method is too
        kind = "default" if package == "multiprocessing" or _is_default(process, default_ctx) else "explicit"
        method = getattr(process, "_start_method", None) or type(process).__name__
    else:
        # a concrete context's Process: explicit, unless it is what the default resolves to now because the
        # project called set_start_method() (Pool() then goes through the context the project set)
        kind = "default" if _is_default(process, default_ctx, set_only=True) else "explicit"
        method = getattr(process, "_start_method", None) or type(process).__name__
    counts[(kind, method)] = counts.get((kind, method), 0) + 1
    if kind != "explicit":
        _reachable()
    if _owner != os.getpid():
        _child_started()


def _reachable() -> None:
    global on_reachable
    callback = on_reachable
    if callback is None or _owner != os.getpid():  # a child's counts are not a test's (a fork child has the
        return  # callback too: a proxy's _incref after the fork, a finalizer's handshake at its exit)
    on_reachable = None
    try:  # noqa: SIM105 (contextlib is not imported at start-up for this)
        callback()
    except Exception:  # telling the supervisor never changes what the test sees
        pass


def _is_default(process: Any, default_ctx: Any, set_only: bool = False) -> bool:
    """Whether ``process`` is of the class the default context resolves to now (``set_only``: only when
    the program set the method itself with ``set_start_method()``)."""
    actual = getattr(default_ctx, "_actual_context", None)
    if actual is None:
        if set_only:
            return False
        actual = getattr(default_ctx, "_default_context", None)
    cls = getattr(actual, "Process", None)
    return isinstance(cls, type) and isinstance(process, cls)


def note(what: str) -> None:
    """Count something a test did that can make its outcome depend on the start method without starting a
    process here: asked for the method or the default context, or started a subprocess."""
    counts[("other", what)] = counts.get(("other", what), 0) + 1
    _reachable()


def _counting(wrapper: Any, original: Any) -> Any:
    """``wrapper``, marked as this hook's (so a second install leaves it alone) and carrying ``original``'s
    docstring and ``__wrapped__``."""
    wrapper._mpcheck_counting = True
    wrapper.__wrapped__ = original
    wrapper.__doc__ = original.__doc__
    return wrapper


def _counted(package: str) -> Callable[[Any], None]:
    def patch(module: Any) -> None:
        base: Any = getattr(module, "BaseProcess", None)
        start = getattr(base, "start", None)
        if start is None or getattr(start, "_mpcheck_counting", False):
            return

        def counted_start(self: Any) -> None:
            try:
                start(self)
            finally:
                try:  # noqa: SIM105 (contextlib is not imported at start-up for this)
                    _record(self, package)
                except Exception:  # counting never changes what the test sees
                    pass

        base.start = _counting(counted_start, start)

    return patch


def _internal() -> bool:
    """Whether the caller of the counted function is the process packages' own code (spawn's preparation
    data asks for the method at every start): not a question the test asked."""
    caller = str(sys._getframe(2).f_globals.get("__name__") or "")
    return caller.split(".", 1)[0] in (*PROCESS_PACKAGES, "concurrent")


def _asking(module: Any) -> None:
    """Count ``get_start_method()``, ``get_context()`` (the default) and ``set_start_method()`` calls made
    through the package's module-level functions."""
    for name in ("get_start_method", "get_context", "set_start_method"):
        original = getattr(module, name, None)
        if original is None or getattr(original, "_mpcheck_counting", False):
            continue

        def asked(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            if (_name != "get_context" or (not (args and args[0]) and not kwargs.get("method"))) and not _internal():
                note(_name)
            return _original(*args, **kwargs)

        setattr(module, name, _counting(asked, original))


def _subprocesses(module: Any) -> None:
    """Count every subprocess a test starts: a Python it runs may start processes of its own."""
    popen: Any = module.Popen
    init = popen.__init__
    if getattr(init, "_mpcheck_counting", False):
        return

    def counted_init(self: Any, *args: Any, **kwargs: Any) -> None:
        note("subprocess")
        init(self, *args, **kwargs)

    popen.__init__ = _counting(counted_init, init)


#: what sends work or data to another process, by module (of each process package) and class: a test that
#: does so depends on how that process was started, whoever started it (a Pool kept across tests)
SENDS = (
    ("pool", "Pool", ("apply_async", "_map_async", "imap", "imap_unordered")),
    ("connection", "_ConnectionBase", ("send", "send_bytes")),
    ("queues", "Queue", ("put",)),
    ("queues", "JoinableQueue", ("put",)),
    ("queues", "SimpleQueue", ("put",)),
    ("managers", "BaseProxy", ("_callmethod", "_incref")),
    ("managers", "BaseManager", ("_create",)),
)


#: threads inside a call of an explicit context's sender (a proxy of get_context("spawn").Manager()): the
#: connections it sends on are its own
_quiet: Set[int] = set()


#: the threads the process packages run for their own objects, by their target's qualified name: a Pool's
#: handlers, a Queue's feeder; and by class, a ProcessPoolExecutor's manager thread. What they send carries
#: out a call counted in the thread that made it (apply_async, put, submit), at a time of their own: after
#: the test that made the call may have ended, in whichever test then runs
OWN_THREAD_TARGETS = ("Pool._handle_workers", "Pool._handle_tasks", "Pool._handle_results", "Queue._feed")
OWN_THREAD_CLASSES = ("_ExecutorManagerThread",)


def _own_thread() -> bool:
    """Whether this thread is one of :data:`OWN_THREAD_TARGETS` or :data:`OWN_THREAD_CLASSES`."""
    threading: Any = sys.modules.get("threading")
    thread = threading.current_thread() if threading is not None else None
    target = getattr(thread, "_target", None)
    if target is None:
        cls = type(thread)
        return cls.__name__ in OWN_THREAD_CLASSES and cls.__module__ == "concurrent.futures.process"
    module = str(getattr(target, "__module__", None) or "")
    return module.split(".", 1)[0] in PROCESS_PACKAGES and getattr(target, "__qualname__", "") in OWN_THREAD_TARGETS


def _reaches_default(sender: Any) -> bool:
    """Whether what ``sender`` sends can reach a process the forced default started: not a ThreadPool's
    tasks (they stay here), not a Pool's or executor's whose context is explicit (``get_context("spawn")``,
    ``mp_context=``), not what stays in this process (a Pool's wake-ups of its own thread); anything else
    (a Queue, a Pipe, a proxy) may."""
    if type(sender).__name__ == "ThreadPool" or getattr(sender, "_mpcheck_explicit", False):
        return False
    if getattr(sender, "_mpcheck_local", False):
        return False
    ctx = getattr(sender, "_ctx", None) or getattr(sender, "_mp_context", None)
    if ctx is None:  # a Manager's proxy: its manager's context (BaseManager(ctx=...), ctx.Manager())
        ctx = getattr(getattr(sender, "_manager", None), "_ctx", None)
    return ctx is None or is_default_context(ctx)


def _receiver_may_exist(sender: Any) -> bool:
    """Whether another process may receive what ``sender`` sends: always, unless it is an end of a
    ``Pipe()`` (marked by :func:`_marking_pipes`) and this process has no child running (started, not yet
    joined, through any process package; whoever started it: an earlier test, a module-scoped fixture, a
    Pool's worker, a Manager's server). Threads that talk over a Pipe (maxminddb's test_threading) send
    work to no process; a Connection from ``Client()`` or ``Listener.accept()`` always has another end."""
    if not getattr(sender, "_mpcheck_pipe", False):
        return True
    return any(getattr(sys.modules.get(f"{package}.process"), "_children", None) for package in PROCESS_PACKAGES)


def _marking_pipes(module: Any) -> None:
    """Mark both ends of every ``Pipe()`` of this connection module (``ctx.Pipe()`` calls it too)."""
    original = getattr(module, "Pipe", None)
    if original is None or getattr(original, "_mpcheck_counting", False):
        return

    def pipe(*args: Any, **kwargs: Any) -> Any:
        ends = original(*args, **kwargs)
        for end in ends:
            try:  # noqa: SIM105 (contextlib is not imported at start-up for this)
                end._mpcheck_pipe = True
            except Exception:  # a slotted end: left unmarked (counted: conservative)
                pass
        return ends

    module.Pipe = _counting(pipe, original)


def is_default_process(cls: Any) -> bool:
    """Whether ``cls`` is the marked ``Process`` class of a default context (:func:`make_default` with ``mark``:
    mpcheck's forced method's, or the platform's own default that the sanitizer marks): its processes are the
    default context's, a Pool's or an executor's made without a context included."""
    return bool(getattr(cls, "_mpcheck_default", False))


def is_default_context(ctx: Any) -> bool:
    """Whether ``ctx`` is the default context, not one a program asked for by name (``get_context("fork")``):
    its marked copy (:func:`is_default_process`), the ``DefaultContext`` itself, or the concrete context that
    resolved it (the one the project's ``set_start_method()`` chose). Where the default is not marked
    (multiprocess's, billiard's) a context asked for by the default's own name is that same object, and counts
    as the default too.

    The one home of this question: the exposure counting here and the sanitizer (whether the program chose
    fork for a pool, :func:`mpcheck.sanitize.starts.chosen_for_context`) ask it."""
    if is_default_process(getattr(ctx, "Process", None)):
        return True
    module: Any = sys.modules.get(f"{(type(ctx).__module__ or '').split('.')[0]}.context")
    default = getattr(module, "_default_context", None)
    return ctx is getattr(default, "_actual_context", None) or ctx is default  # the project's set_start_method()


def _mark_explicit(owner: Any, ctx: Any = None) -> None:
    """After a Pool, an executor or a queue with an explicit context (``ctx``, else the owner's own) is
    made: it and its own queues and pipes (what its threads and close() send on) are marked, so their
    traffic is not taken for the test's sends to a process of the default context."""
    if (ctx is None and _reaches_default(owner)) or (ctx is not None and is_default_context(ctx)):
        return
    for value in [owner, *vars(owner).values()]:
        for one in (value, getattr(value, "_reader", None), getattr(value, "_writer", None)):
            if one is not None and not isinstance(one, (int, str, bytes, tuple, list, dict)):
                try:  # noqa: SIM105 (contextlib is not imported at start-up for this)
                    one._mpcheck_explicit = True
                except Exception:  # a slotted or read-only object: left unmarked (counted: conservative)
                    pass


def _marking(cls: Any) -> None:
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "_mpcheck_counting", False):
        return

    def marked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        notifier = getattr(self, "_change_notifier", None)  # a Pool's: it wakes the Pool's own thread, here
        if notifier is not None:
            try:  # noqa: SIM105
                notifier._mpcheck_local = True
            except Exception:  # a slotted object: left unmarked (counted: conservative)
                pass
        ctx = kwargs.get("ctx")  # a queue's: ctx.Queue() passes its context
        if ctx is None and not hasattr(self, "_ctx") and not hasattr(self, "_mp_context"):
            return  # nothing says which context: its sends count
        try:  # noqa: SIM105
            _mark_explicit(self, ctx)
        except Exception:
            pass

    cls.__init__ = _counting(marked_init, init)


def _sender(original: Any, name: str) -> Any:
    """``original`` (a method that sends to another process), counting each call as ``note("send")``
    unless its object's context is explicit (then what it sends on inside is not counted either) or it is
    a Pipe's end with no process to receive (:func:`_receiver_may_exist`)."""

    def sent(self: Any, *args: Any, **kwargs: Any) -> Any:
        me = _thread.get_ident()
        if me in _quiet or _own_thread():  # inside an explicit sender's call (its own pipes' traffic), or
            return original(self, *args, **kwargs)  # a Pool's or a Queue's own thread (counted at the call)
        if _reaches_default(self):
            if _receiver_may_exist(self):
                note("send")
            return original(self, *args, **kwargs)
        _quiet.add(me)
        try:
            return original(self, *args, **kwargs)
        finally:
            _quiet.discard(me)

    wrapper = _counting(sent, original)
    wrapper.__name__ = name
    return wrapper


def _quietly(original: Any) -> Any:
    """``original``, whose sends are not counted (a Manager proxy's ``_decref``: its finalizer releases a
    reference at garbage time, in whichever test then runs, on a connection of its own: 4 sends with the
    handshake, none of them work for another process)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        me = _thread.get_ident()
        if me in _quiet:
            return original(*args, **kwargs)
        _quiet.add(me)
        try:
            return original(*args, **kwargs)
        finally:
            _quiet.discard(me)

    return _counting(call, original)


def _sends(classes: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> Callable[[Any], None]:
    """Count each call of these methods as ``note("send")`` (a ThreadPool's tasks stay in this process)."""

    def patch(module: Any) -> None:
        for class_name, methods in classes:
            cls = getattr(module, class_name, None)
            if not isinstance(cls, type):
                continue
            if class_name in ("Pool", "ProcessPoolExecutor", "Queue", "JoinableQueue", "SimpleQueue"):
                _marking(cls)
            if class_name == "_ConnectionBase":
                _marking_pipes(module)
            decref = cls.__dict__.get("_decref") if class_name == "BaseProxy" else None
            if isinstance(decref, staticmethod) and not getattr(decref.__func__, "_mpcheck_counting", False):
                proxy: Any = cls
                proxy._decref = staticmethod(_quietly(decref.__func__))
            if class_name == "BaseManager":  # the typeids SyncManager registers (manager.list(), .Queue()...)
                manager = getattr(module, "SyncManager", None)
                for name, made in list(vars(manager).items()) if isinstance(manager, type) else ():
                    qualname = getattr(made, "__qualname__", "")
                    if qualname.endswith("register.<locals>.temp") and not getattr(made, "_mpcheck_counting", False):
                        setattr(manager, name, _sender(made, name))
            for name in methods:
                original = cls.__dict__.get(name)
                if original is not None and not getattr(original, "_mpcheck_counting", False):
                    setattr(cls, name, _sender(original, name))

    return patch


def count_starts() -> None:
    """Count, in this interpreter, every ``start()`` of a process of multiprocessing (attempts included: a
    target that does not pickle still tried the method) and of its copies (``multiprocess``, ``billiard``:
    :data:`mpcheck.methods.PROCESS_PACKAGES`); every question about the start method; every subprocess; every
    task or message sent to another process (:data:`SENDS`, and a ``ProcessPoolExecutor``'s tasks)."""
    global _owner
    _owner = os.getpid()
    for package in PROCESS_PACKAGES:
        when_imported(f"{package}.process", _counted(package))
        when_imported(package, _asking)
        for module in dict.fromkeys(m for m, _, _ in SENDS):
            classes = tuple((c, names) for m, c, names in SENDS if m == module)
            when_imported(f"{package}.{module}", _sends(classes))
    when_imported("concurrent.futures.process", _sends((("ProcessPoolExecutor", ("submit",)),)))
    when_imported("subprocess", _subprocesses)


def exposure() -> Dict[str, Dict[str, int]]:
    """The processes started since :func:`reset_counts`: ``{"default": {method: n}, "explicit": {...}}``,
    and ``"other"``: what else could make the test depend on the method (:func:`note`)."""
    out: Dict[str, Dict[str, int]] = {"default": {}, "explicit": {}, "other": {}}
    for (kind, method), n in counts.items():
        out[kind][method] = out[kind].get(method, 0) + n
    return out


def _default() -> Any:
    from multiprocessing import context

    return context._default_context


def state() -> Tuple[Any, Any]:
    """The default context's state (what is in force now), for :func:`restore`."""
    default = _default()
    return (default._default_context, default._actual_context)


def restore(saved: Tuple[Any, Any]) -> None:
    """Put back the state :func:`state` saw: a test's own ``set_start_method`` ends with the test."""
    default = _default()
    default._default_context, default._actual_context = saved


def in_force(saved: Tuple[Any, Any]) -> str:
    """The method ``saved`` (from :func:`state`) makes the default: set, or else default."""
    default, actual = saved
    return str((actual or default)._name)
