"""What the multiprocessing API looks like from the outside: qualified names mapped to kinds of object.

A name is what an expression resolves to through the module's imports (``mp.Process`` after
``import multiprocessing as mp`` is ``multiprocessing.Process``). Only objects that start processes
or travel to them matter here; thread pools (``ThreadPool``, ``multiprocessing.dummy``,
``ThreadPoolExecutor``) do not pickle their tasks and are kinds of their own, never confused with
process pools. A name we do not know is never assumed to be a process pool.

The wrapper libraries are modelled too, each kind tagged with its library (:class:`Kind`) so that the
rules know what it pickles with and which start methods it uses (:data:`LIBS`, each fact checked by
running the library): ``multiprocess`` and ``pathos`` pickle with dill and ``loky`` and ``joblib`` with
cloudpickle (lambdas and local functions travel), ``billiard``, ``pebble`` and ``torch.multiprocessing``
with pickle; ``mpire`` pickles the task only under spawn and forkserver (its default is fork) unless
``use_dill=True``; loky's workers never fork and never re-run the main module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Tuple

from ..methods import PROCESS_PACKAGES, REEXPORTING

PROCESS, POOL, EXECUTOR, MANAGER, CONTEXT, THREAD, THREAD_POOL, QUEUE, LOCK, VALUE = (
    "process", "pool", "executor", "manager", "context", "thread", "thread_pool", "queue", "lock", "value",
)  # fmt: skip


class Kind(str):
    """A kind that also names the library that made the object: ``Kind("pool", "pathos") == "pool"``."""

    lib: str

    def __new__(cls, value: str, lib: str) -> Kind:
        obj = super().__new__(cls, value)
        obj.lib = lib
        return obj


@dataclass(frozen=True)
class Lib:
    """What a process library does with a task: ``pickler`` ("pickle", "dill", "cloudpickle", or
    "mpire": pickle only under spawn and forkserver); ``methods``: the start methods it can use (None:
    multiprocessing's, chosen by the platform or ``set_start_method``)."""

    pickler: str
    methods: Optional[Tuple[str, ...]] = None


LIBS: Dict[str, Lib] = {
    "multiprocessing": Lib("pickle"),
    "concurrent.futures": Lib("pickle"),
    "billiard": Lib("pickle"),
    "torch.multiprocessing": Lib("pickle"),
    "pebble": Lib("pickle"),
    "multiprocess": Lib("dill"),
    "pathos": Lib("dill"),
    "mpire": Lib("mpire"),
    "loky": Lib("cloudpickle", ("loky",)),
    "joblib": Lib("cloudpickle", ("loky",)),
}


def lib_of(kind: Optional[str]) -> Lib:
    return LIBS.get(getattr(kind, "lib", "multiprocessing"), LIBS["multiprocessing"])


def with_lib(kind: str, lib: Optional[str]) -> str:
    return Kind(kind, lib) if lib and lib != "multiprocessing" else kind


_MP = ("multiprocessing", "multiprocessing.context")
#: libraries with multiprocessing's own API (mpcheck.methods): its copies, each with a context module of its
#: own, and the packages that re-export multiprocessing's
_ALIKE = {
    **{package: (package, f"{package}.context") for package in PROCESS_PACKAGES if package != "multiprocessing"},
    **{package: (package,) for package in REEXPORTING},
}
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
for _lib, _prefixes in _ALIKE.items():
    for _m in _prefixes:
        CONSTRUCTORS.update({f"{_m}.{attr}": Kind(kind, _lib) for attr, kind in _CTX_ATTRS.items()})
    CONSTRUCTORS[f"{_prefixes[0]}.pool.Pool"] = Kind(POOL, _lib)
    CONSTRUCTORS[f"{_prefixes[0]}.pool.ThreadPool"] = THREAD_POOL
    CONSTRUCTORS[f"{_prefixes[0]}.dummy.Pool"] = THREAD_POOL
    CONSTRUCTORS[f"{_prefixes[0]}.dummy.Process"] = THREAD
    CONSTRUCTORS[f"{_prefixes[0]}.Queue"] = Kind(QUEUE, _lib)
CONSTRUCTORS.update(
    {
        **{
            f"pathos.{m}.{n}": Kind(POOL, "pathos")
            for m in ("multiprocessing", "pools")
            for n in ("ProcessPool", "ProcessingPool")
        },
        "pathos.pools._ProcessPool": Kind(POOL, "pathos"),
        "pathos.helpers.ProcessPool": Kind(POOL, "pathos"),
        **{f"pathos.{m}.ThreadPool": THREAD_POOL for m in ("pools", "threading", "multiprocessing")},
        "pathos.pools._ThreadPool": THREAD_POOL,
        **{f"pebble.{m}ProcessPool": Kind(EXECUTOR, "pebble") for m in ("", "pool.", "pool.process.")},
        **{f"pebble.{m}ThreadPool": THREAD_POOL for m in ("", "pool.", "pool.thread.")},
        "mpire.WorkerPool": Kind(POOL, "mpire"),
        "mpire.pool.WorkerPool": Kind(POOL, "mpire"),
        "loky.ProcessPoolExecutor": Kind(EXECUTOR, "loky"),
        "loky.get_reusable_executor": Kind(EXECUTOR, "loky"),
        "loky.reusable_executor.get_reusable_executor": Kind(EXECUTOR, "loky"),
        "joblib.Parallel": Kind(EXECUTOR, "joblib"),
        "joblib.parallel.Parallel": Kind(EXECUTOR, "joblib"),
    }
)

#: What multiprocessing makes that a process shares only by inheriting it (a pipe, semaphores, shared memory): a
#: copy made by a fresh import is another object (MP120). The context's attribute names; qualified in SYNC_OBJECTS.
SYNC_ATTRS: FrozenSet[str] = frozenset(
    {"Queue", "JoinableQueue", "SimpleQueue", "Lock", "RLock", "Event", "Semaphore", "BoundedSemaphore",
     "Condition", "Barrier", "Value", "Array"}
)  # fmt: skip
#: the default context's makers of those (the standard library's own ``multiprocessing.Queue()``)
DEFAULT_SYNC: FrozenSet[str] = frozenset(f"multiprocessing.{attr}" for attr in SYNC_ATTRS)
SYNC_OBJECTS: FrozenSet[str] = DEFAULT_SYNC | frozenset(
    {f"{m}.{attr}" for m in ("multiprocessing.context", *[p for ps in _ALIKE.values() for p in ps])
     for attr in SYNC_ATTRS}
    | {"multiprocessing.queues.Queue", "multiprocessing.queues.JoinableQueue", "multiprocessing.queues.SimpleQueue"}
)  # fmt: skip

#: What makes a random generator that seeds itself from the OS when called with no seed: a fork child gets a copy
#: of its state (MP121). ``random.SystemRandom`` keeps no state, and ``random``'s own functions are reseeded in
#: each fork child.
UNSEEDED_GENERATORS: FrozenSet[str] = frozenset(
    {"random.Random", "numpy.random.RandomState", "numpy.random.mtrand.RandomState", "numpy.random.default_rng"}
)
#: numpy's functions that draw from its global generator (``numpy.random.mtrand._rand``), made when numpy is
#: imported and never reseeded after a fork (MP121)
NUMPY_GLOBAL_DRAWS: FrozenSet[str] = frozenset(
    f"numpy.random.{name}"
    for name in (
        "rand", "randn", "randint", "random", "random_sample", "random_integers", "ranf", "sample", "choice",
        "shuffle", "permutation", "bytes", "uniform", "normal", "standard_normal", "binomial", "poisson",
        "exponential", "beta", "gamma", "multinomial", "multivariate_normal", "dirichlet", "lognormal",
        "laplace", "logistic", "geometric", "chisquare", "standard_t", "triangular", "weibull", "rayleigh",
        "pareto", "vonmises", "gumbel", "hypergeometric", "negative_binomial", "power", "zipf", "wald",
        "standard_cauchy", "standard_exponential", "standard_gamma", "f", "noncentral_chisquare",
        "noncentral_f", "logseries",
    )
)  # fmt: skip
#: what reseeds numpy's global generator (no argument: from the OS)
NUMPY_SEED = "numpy.random.seed"

#: Objects of the standard library that pickle under no Python (run, 3.9 to 3.13 and PyPy): ``os.environ``, whose
#: encoders are local to ``os._createenviron``, and the standard streams (``cannot pickle '_io.TextIOWrapper'``).
UNPICKLABLE_GLOBALS: FrozenSet[str] = frozenset(
    {"os.environ", "os.environb", "sys.stdout", "sys.stderr", "sys.stdin", "sys.__stdout__", "sys.__stderr__",
     "sys.__stdin__"}
)  # fmt: skip

#: Attributes of a context object (``get_context(...)``) and what they make.
CONTEXT_ATTRS: Dict[str, str] = {k: v for k, v in _CTX_ATTRS.items() if k != "get_context"}
#: the keywords that hand a context to what a library makes: an executor's, a Pool's, a manager's (BaseManager)
CONTEXT_KEYWORDS = ("mp_context", "context", "ctx")

#: Kinds whose classes can be subclassed into a process or a thread.
SUBCLASSABLE: FrozenSet[str] = frozenset({PROCESS, THREAD})

#: Pool methods whose first argument is a function sent to the workers (and pickled, under every method).
POOL_FUNC_METHODS: FrozenSet[str] = frozenset(
    {"apply", "apply_async", "map", "map_async", "imap", "imap_unordered", "starmap", "starmap_async",
     "uimap", "amap", "pipe", "apipe", "map_unordered"}  # pathos, mpire
)  # fmt: skip
POOL_ARGS_METHODS: FrozenSet[str] = frozenset({"apply", "apply_async"})
EXECUTOR_FUNC_METHODS: FrozenSet[str] = frozenset({"submit", "map", "schedule"})  # schedule: pebble
#: Functions that run their first argument in new processes (torch's spawn context).
SPAWN_FUNCS: Dict[str, str] = {
    "torch.multiprocessing.spawn": "spawn",
    "torch.multiprocessing.start_processes": "spawn",
    "torch.multiprocessing.spawn.spawn": "spawn",
}

#: Kinds whose creation or use starts child processes at once.
STARTS_ON_CREATE: FrozenSet[str] = frozenset({POOL})
_ALL_MP = ("multiprocessing", *[p[0] for p in _ALIKE.values()])
SET_START_METHOD = frozenset({f"{m}.set_start_method" for m in _ALL_MP} | {"multiprocessing.context.set_start_method"})
GET_START_METHOD = frozenset({f"{m}.get_start_method" for m in _ALL_MP})
GET_CONTEXT = frozenset({f"{m}.get_context" for m in _ALL_MP})
MANAGER_FUNCS = frozenset({"multiprocessing.Manager", "multiprocessing.context.Manager"})
#: Manager classes whose ``register(typeid, callable)`` keeps the callable in a registry that ``start()`` hands to
#: the server process it starts (pickled under spawn and forkserver; ``multiprocess`` pickles with dill: not here).
MANAGER_CLASSES = frozenset({"multiprocessing.managers.BaseManager", "multiprocessing.managers.SyncManager"})
#: what only a manager's constructor takes: a class called with one of these makes a manager
MANAGER_KEYWORDS = frozenset({"address", "authkey"})

#: Calls that configure logging (the root logger).
LOGGING_CONFIG = frozenset({"logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig"})
#: Logging calls whose records an unconfigured root logger drops (WARNING and above reach stderr anyway).
LOGGING_DROPPED = frozenset({"debug", "info"})

ENVIRON_FUNCS = frozenset({"os.putenv", "os.unsetenv"})
ENVIRON_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"})
#: methods that fill a dict, list or set in place (``TABLE.append(...)``): lint's MP103 for a module-level table
TABLE_FILLERS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "__setitem__"})
FORK_FUNCS = frozenset({"os.fork", "os.forkpty"})
#: decorators that make a generator into a context manager (code before its yield runs on entering the block)
CONTEXT_MANAGERS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})
SIGNAL_DEFAULTS = frozenset({"signal.SIG_DFL", "signal.SIG_IGN", "signal.default_int_handler", "signal.Handlers"})

#: Calls whose result holds an open OS resource that cannot be pickled (a compressed or archive file keeps the file
#: it reads: kgtk's ``gzip.open()`` handed to a Process; each checked on 3.9 to 3.13 and PyPy).
RESOURCE_OPENERS = frozenset(
    {"open", "io.open", "socket.socket", "socket.create_connection", "socket.socketpair", "sqlite3.connect",
     "multiprocessing.Pipe", "multiprocessing.connection.Client", "multiprocessing.connection.Listener",
     "threading.Lock", "threading.RLock", "threading.Condition", "threading.Event", "subprocess.Popen",
     "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "threading.Semaphore", "threading.BoundedSemaphore",
     "select.epoll", "select.poll", "select.kqueue", "select.devpoll", "queue.Queue", "queue.LifoQueue",
     "queue.PriorityQueue", "queue.SimpleQueue", "os.fdopen", "io.FileIO", "codecs.open", "gzip.open",
     "gzip.GzipFile", "bz2.open", "bz2.BZ2File", "lzma.open", "lzma.LZMAFile", "tarfile.open", "tarfile.TarFile",
     "zipfile.ZipFile"}
)  # fmt: skip
#: Of those, what multiprocessing's own reducers pickle (``multiprocessing.reduction`` registers
#: ``socket.socket``, ``multiprocessing.connection`` its ``Connection``): the child gets a duplicate of the
#: descriptor. A Listener is not (its finalizer holds a weakref).
REDUCED_BY_MULTIPROCESSING = frozenset(
    {"socket.socket", "socket.create_connection", "socket.socketpair", "multiprocessing.Pipe",
     "multiprocessing.connection.Pipe", "multiprocessing.connection.Client"}
)  # fmt: skip
#: Library objects that keep their output stream on themselves and so cannot be pickled ("cannot pickle
#: '_io.TextIOWrapper' object"), unless made with one of the keywords given: a tqdm progress bar (made with
#: ``disable=True`` it keeps no stream and pickles; with ``file=`` it keeps the stream it is given, which is
#: not told here, and nothing is said).
STREAM_HOLDERS: Dict[str, FrozenSet[str]] = {
    q: frozenset({"disable", "file"}) for q in ("tqdm.tqdm", "tqdm.std.tqdm", "tqdm.auto.tqdm", "tqdm.asyncio.tqdm")
}
PATH_TYPES = frozenset(
    {f"pathlib.{n}" for n in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")}
)
#: Runners a script's main block hands its entry function to, which call it there and then (with the command
#: line's arguments): as good as ``main()`` for what the parent does in order (PySC2's ``app.run(main)``).
ENTRY_RUNNERS = frozenset({"absl.app.run", "fire.Fire", "typer.run"})
#: The process libraries: a module that imports one of them is analysed.
PROCESS_LIBRARIES: Tuple[str, ...] = (
    *PROCESS_PACKAGES, *REEXPORTING, "concurrent.futures", "pathos", "pebble", "mpire", "loky", "joblib",
)  # fmt: skip
#: Files that mention none of these cannot import a process library (a cheap test before parsing).
TRIGGERS_RE = re.compile(rb"multiprocess|concurrent|billiard|pathos|pebble|mpire|loky|joblib")
#: A file that does not parse is reported (not skipped) when it names one of these (each holds a
#: TRIGGERS_RE match: :attr:`~.program.SourceFile.facts` searches only the files TRIGGERS_RE matches).
MENTIONS_RE = re.compile(
    rb"\b(?:multiprocessing|multiprocess|concurrent\.futures|billiard|pathos|pebble|mpire|loky|joblib)\b"
)

#: Libraries whose names the rules model: never looked up in the linted tree (linting CPython's Lib/
#: must not read multiprocessing/context.py as the user's code).
MODELLED: FrozenSet[str] = frozenset(
    {"multiprocessing", "multiprocess", "billiard", "pathos", "pebble", "mpire", "loky", "joblib", "torch",
     "concurrent", "threading", "logging", "os", "signal", "atexit", "sys", "socket", "sqlite3", "subprocess",
     "tempfile", "pathlib", "functools", "io", "queue", "asyncio", "builtins", "dill", "cloudpickle", "unittest",
     "pytest", "_thread", "time", "random"}
)  # fmt: skip


def is_modelled(qual: str) -> bool:
    return qual.partition(".")[0] in MODELLED


def is_process_library(qual: str) -> bool:
    return any(qual == lib or qual.startswith(lib + ".") for lib in PROCESS_LIBRARIES)
