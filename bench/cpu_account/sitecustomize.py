"""Per-process CPU accounting for ``bench/catalog.py --breakdown`` (Linux; never installed).

Put first on ``PYTHONPATH``, so every interpreter of a run loads it: the cells, their spawn
children, fork servers, resource trackers and forked children (which inherit it). Each appends
``kind<TAB>cpu_seconds`` to ``$MPCHECK_BENCH_CPU_LOG`` as it exits: through ``atexit``, through
``os._exit`` (how multiprocessing's children end), or on SIGTERM (how ``Pool.terminate()`` and
``with Pool()`` end their workers), which it then re-raises with the default action, so the process
still dies of it. A process killed otherwise (SIGKILL) writes nothing; the bench reports that
remainder as unaccounted. Stdlib only, and cheap: it runs in
every process it measures. It shadows any other ``sitecustomize``, so it is for the bench alone.
"""

import atexit
import os
import resource
import signal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

_LOG = os.environ.get("MPCHECK_BENCH_CPU_LOG")
_STARTED = os.getpid()


def _command() -> str:
    try:
        with open(f"/proc/{os.getpid()}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


_COMMAND = _command()


def _kind() -> str:
    if "multiprocessing.resource_tracker" in _COMMAND:
        kind = "resource tracker"
    elif "multiprocessing.forkserver" in _COMMAND:
        kind = "fork server"
    elif "--multiprocessing-fork" in _COMMAND:
        kind = "spawn child"
    elif "mpcheck.engine.cell" in _COMMAND:
        kind = "cell"
    elif " mpcheck " in f"{_COMMAND} ":
        kind = "harness"
    else:
        kind = "other"
    if os.getpid() != _STARTED:
        kind = f"forked by {kind}"  # fork children of a cell, a fork server's children, pool workers
    return kind


def _record() -> None:
    if not _LOG:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    line = f"{_kind()}\t{usage.ru_utime + usage.ru_stime:.6f}\n"
    fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())  # one write to an O_APPEND file: lines do not interleave
    finally:
        os.close(fd)


_real_exit = os._exit


def _exit(status: int) -> "NoReturn":
    try:
        _record()
    finally:
        _real_exit(status)


def _on_sigterm(signum: int, frame: object) -> None:
    _record()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


if _LOG:
    atexit.register(_record)
    os._exit = _exit
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
