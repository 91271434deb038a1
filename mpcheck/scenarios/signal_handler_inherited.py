"""A SIGTERM handler installed by the parent: fork children run it when terminated, others just die.

Servers and task runners install a "graceful shutdown" handler for SIGTERM in their main process;
``Process.terminate()`` and ``Pool.terminate()`` end children with that same SIGTERM. A forked child
inherits the parent's Python signal handlers, so it runs the parent's handler instead of dying: here
it logs "shutting down gracefully" and exits 0, in real reports it shut down state that belonged to
the parent (getsentry/snuba#1420, dagster-io/dagster#25749, SpaceCowMedia/commander-spellbook-backend#1204).
A spawn or forkserver child is a fresh interpreter with the default action: it dies of the signal,
exit code -15 (Windows reports ``terminate()`` as -15 too). The fix, a Pool ``initializer`` that
restores ``SIG_DFL``, makes every method agree: the workers die of SIGTERM.

The child waits for its SIGTERM in short sleeps, not one long one. A Python handler runs between
bytecodes: a signal that lands after the last check and just before a blocking call starts does not
interrupt the call, and the handler runs only once the call returns. With ``time.sleep(60)`` the
forked child ignored ``terminate()`` for the whole minute about once in 150 tries on 3.15.0 (it is
the same in every version; where the race lands is a matter of timing).
"""

import os
import signal
import sys
import tempfile
import time
from multiprocessing import Event, Pool, Process, Semaphore

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

WORKERS = 2

EXPECT = Expect(
    facts={
        "handler_ran_in_child": by_method(fork=True, default=False),
        "child_exitcode": by_method(fork=0, default=-signal.SIGTERM),
        "reset_pool_exitcodes": [-signal.SIGTERM] * WORKERS,
        "handler_ran_in_reset_pool": False,
    }
)

shutdown_log = None  # set by the main process before it installs the handler


def graceful_shutdown(signum, frame):
    with open(shutdown_log, "a") as fh:
        fh.write(f"{os.getpid()} shutting down gracefully\n")
    sys.exit(0)


def serve(ready):
    ready.set()
    for _ in range(600):  # until terminated, in short sleeps: see the docstring
        time.sleep(0.1)


def restore_default_sigterm(started):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global task_started
    task_started = started


def long_task():
    task_started.release()
    time.sleep(60)  # until terminated


def handled_by(pids):
    with open(shutdown_log) as fh:
        return any(line.split()[0] in pids for line in fh)


if __name__ == "__main__":
    fd, shutdown_log = tempfile.mkstemp(prefix="sigterm-log-")
    os.close(fd)
    try:
        signal.signal(signal.SIGTERM, graceful_shutdown)  # sanitize: MP107  # lint: MP107

        ready = Event()
        child = Process(target=serve, args=(ready,))
        child.start()
        ready.wait(30)  # terminate() only once the child runs its target
        child.terminate()
        child.join(30)
        print(f"terminate() -> exit code {child.exitcode}")

        started = Semaphore(0)
        pool = Pool(WORKERS, initializer=restore_default_sigterm, initargs=(started,))
        for _ in range(WORKERS):
            pool.apply_async(long_task)
        for _ in range(WORKERS):
            started.acquire(timeout=30)  # every worker is inside a task (so past its initializer)
        workers = list(pool._pool)
        pool.terminate()
        pool.join()
        print(f"Pool(initializer=restore_default_sigterm).terminate() -> exit codes {[p.exitcode for p in workers]}")

        report(
            handler_ran_in_child=handled_by({str(child.pid)}),
            child_exitcode=child.exitcode,
            reset_pool_exitcodes=[p.exitcode for p in workers],
            handler_ran_in_reset_pool=handled_by({str(p.pid) for p in workers}),
        )
    finally:
        os.unlink(shutdown_log)
