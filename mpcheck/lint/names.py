"""What the multiprocessing API looks like from the outside: qualified names mapped to kinds of object.

A name is what an expression resolves to through the module's imports (``mp.Process`` after
``import multiprocessing as mp`` is ``multiprocessing.Process``). Only objects that start processes
or travel to them matter here; thread pools (``ThreadPool``, ``multiprocessing.dummy``,
``ThreadPoolExecutor``) do not pickle their tasks and are kinds of their own, never confused with
process pools. loky's and joblib's executors pickle with cloudpickle (lambdas travel), so they are
not listed: a name we do not know is never assumed to be a process pool.
"""

from __future__ import annotations

from typing import Dict, FrozenSet

PROCESS, POOL, EXECUTOR, MANAGER, CONTEXT, THREAD, THREAD_POOL, QUEUE, LOCK, VALUE = (
    "process", "pool", "executor", "manager", "context", "thread", "thread_pool", "queue", "lock", "value",
)  # fmt: skip

_MP = ("multiprocessing", "multiprocessing.context")
_CTX_ATTRS: Dict[str, str] = {
    "Process": PROCESS,
    "Pool": POOL,
    "Manager": MANAGER,
    "Queue": QUEUE,
    "JoinableQueue": QUEUE,
    "SimpleQueue": QUEUE,
    "Lock": LOCK,
    "RLock": LOCK,
    "Value": VALUE,
    "get_context": CONTEXT,
}

#: Constructors (qualified names) and the kind of object they return.
CONSTRUCTORS: Dict[str, str] = {
    **{f"{m}.{attr}": kind for m in _MP for attr, kind in _CTX_ATTRS.items()},
    "multiprocessing.process.BaseProcess": PROCESS,
    "multiprocessing.context.SpawnProcess": PROCESS,
    "multiprocessing.context.ForkProcess": PROCESS,
    "multiprocessing.context.ForkServerProcess": PROCESS,
    "multiprocessing.pool.Pool": POOL,
    "multiprocessing.pool.ThreadPool": THREAD_POOL,
    "multiprocessing.dummy.Pool": THREAD_POOL,
    "multiprocessing.dummy.Process": THREAD,
    "multiprocessing.managers.SyncManager": MANAGER,
    "multiprocessing.queues.Queue": QUEUE,
    "multiprocessing.queues.JoinableQueue": QUEUE,
    "multiprocessing.sharedctypes.Value": VALUE,
    "concurrent.futures.ProcessPoolExecutor": EXECUTOR,
    "concurrent.futures.process.ProcessPoolExecutor": EXECUTOR,
    "concurrent.futures.ThreadPoolExecutor": THREAD_POOL,
    "concurrent.futures.thread.ThreadPoolExecutor": THREAD_POOL,
    "threading.Thread": THREAD,
    "threading.Timer": THREAD,
    "logging.handlers.QueueListener": THREAD,  # start() runs a thread in this process
    "threading.Lock": LOCK,
    "threading.RLock": LOCK,
}

#: Attributes of a context object (``get_context(...)``) and what they make.
CONTEXT_ATTRS: Dict[str, str] = {k: v for k, v in _CTX_ATTRS.items() if k != "get_context"}

#: Kinds whose classes can be subclassed into a process or a thread.
SUBCLASSABLE: FrozenSet[str] = frozenset({PROCESS, THREAD})

#: Pool methods whose first argument is a function sent to the workers (and pickled, under every method).
POOL_FUNC_METHODS: FrozenSet[str] = frozenset(
    {"apply", "apply_async", "map", "map_async", "imap", "imap_unordered", "starmap", "starmap_async"}
)
POOL_ARGS_METHODS: FrozenSet[str] = frozenset({"apply", "apply_async"})
EXECUTOR_FUNC_METHODS: FrozenSet[str] = frozenset({"submit", "map"})

#: Kinds whose creation or use starts child processes at once.
STARTS_ON_CREATE: FrozenSet[str] = frozenset({POOL})
SET_START_METHOD = frozenset({"multiprocessing.set_start_method", "multiprocessing.context.set_start_method"})
GET_START_METHOD = frozenset({"multiprocessing.get_start_method"})
GET_CONTEXT = frozenset({"multiprocessing.get_context"})
MANAGER_FUNCS = frozenset({"multiprocessing.Manager", "multiprocessing.context.Manager"})

#: Calls that configure logging (the root logger).
LOGGING_CONFIG = frozenset({"logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig"})
#: Logging calls whose records an unconfigured root logger drops (WARNING and above reach stderr anyway).
LOGGING_DROPPED = frozenset({"debug", "info"})

ENVIRON_FUNCS = frozenset({"os.putenv", "os.unsetenv"})
ENVIRON_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"})
FORK_FUNCS = frozenset({"os.fork", "os.forkpty"})
SIGNAL_DEFAULTS = frozenset({"signal.SIG_DFL", "signal.SIG_IGN", "signal.default_int_handler", "signal.Handlers"})

#: Calls whose result holds an open OS resource that cannot be pickled.
RESOURCE_OPENERS = frozenset(
    {"open", "io.open", "socket.socket", "socket.create_connection", "socket.socketpair", "sqlite3.connect",
     "multiprocessing.Pipe", "multiprocessing.connection.Client", "multiprocessing.connection.Listener",
     "threading.Lock", "threading.RLock", "threading.Condition", "threading.Event", "subprocess.Popen",
     "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile"}
)  # fmt: skip
PATH_TYPES = frozenset(
    {f"pathlib.{n}" for n in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")}
)
#: Files that mention none of these words cannot hold a finding: no rule applies to them.
TRIGGERS = (b"multiprocessing", b"concurrent")
