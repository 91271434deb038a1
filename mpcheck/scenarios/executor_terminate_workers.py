"""3.14's ``terminate_workers()`` and ``kill_workers()`` end an executor's busy workers; absent before.

Until 3.14 an executor whose tasks never return cannot be stopped through its API: ``shutdown()``
waits for the running tasks (``cancel_futures`` only cancels the queued ones). 3.14 added
``terminate_workers()`` (SIGTERM to each live worker) and ``kill_workers()`` (SIGKILL) (gh-128041,
GH-130849): the workers end with exit codes -15 and -9 (on Windows both are ``TerminateProcess``,
reported as -15), the executor is shut down, and the futures of the interrupted tasks fail with
``BrokenProcessPool``. Before 3.14 the methods do not exist (AttributeError).

Only the first worker's exit code is certain. Both methods shut the executor down, then signal the
workers one by one; as soon as the first has died, the executor's manager thread finds the pool
broken and terminates (SIGTERM) and joins every worker still alive, racing the loop: a later worker
of ``kill_workers()`` dies of SIGKILL or SIGTERM, whichever comes first (seen both ways on 3.14.8 and
3.15.0), and under forkserver, where a child's exit status is read once from a pipe, the loop's
``is_alive()`` and the manager's ``join()`` may both read it, and the one that finds it already
consumed records exit code 255 (seen on 3.14.8 when this scenario joined the workers itself beside
the manager thread). So the later workers are asserted to have ended, not how, and the scenario reads
exit codes only after the manager thread has joined the workers.
"""

import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import ABSENT, Expect, by_platform, when
from mpcheck.facts import error_name, report
from mpcheck.methods import EXECUTOR_TERMINATE_WORKERS as HAS_TERMINATE

WORKERS = 2
BROKEN = ["concurrent.futures.process.BrokenProcessPool"] * WORKERS
KILLED = -9  # -signal.SIGKILL, which Windows does not define

EXPECT = Expect(
    facts={
        "has_methods": when(HAS_TERMINATE, [True, True], [False, False]),
        "first_terminated_exitcode": when(HAS_TERMINATE, -signal.SIGTERM, ABSENT),
        "terminated_task_errors": when(HAS_TERMINATE, BROKEN, ABSENT),
        "first_killed_exitcode": when(HAS_TERMINATE, by_platform(win32=-signal.SIGTERM, default=KILLED), ABSENT),
        "later_workers_ended": when(HAS_TERMINATE, [True, True], ABSENT),
        "killed_task_errors": when(HAS_TERMINATE, BROKEN, ABSENT),
        "children_left": [],
    }
)


def remember(started):
    global task_started
    task_started = started


def never_returns():
    task_started.release()
    time.sleep(60)  # until the worker is ended


def stop_busy_workers(stop):
    """Start WORKERS tasks that never return, stop the workers; their exit codes and the tasks' errors."""
    started = multiprocessing.Semaphore(0)
    executor = ProcessPoolExecutor(WORKERS, initializer=remember, initargs=(started,))
    futures = [executor.submit(never_returns) for _ in range(WORKERS)]
    for _ in range(WORKERS):
        started.acquire(timeout=30)  # every worker is inside its task
    # Observation: the processes the executor started, and its manager thread, which joins them.
    workers = list(executor._processes.values())
    manager = executor._executor_manager_thread
    getattr(executor, stop)()
    errors = [error_name(f.exception(timeout=30)) for f in futures]
    manager.join(30)
    print(f"{stop}(): exit codes {[p.exitcode for p in workers]}, tasks failed with {errors}")
    return [p.exitcode for p in workers], errors


if __name__ == "__main__":
    has = [hasattr(ProcessPoolExecutor, name) for name in ("terminate_workers", "kill_workers")]
    report(has_methods=has)
    if all(has):
        terminated, terminated_errors = stop_busy_workers("terminate_workers")
        killed, killed_errors = stop_busy_workers("kill_workers")
        report(
            first_terminated_exitcode=terminated[0],
            terminated_task_errors=terminated_errors,
            first_killed_exitcode=killed[0],
            killed_task_errors=killed_errors,
            later_workers_ended=[all(c is not None for c in codes[1:]) for codes in (terminated, killed)],
        )
    report(children_left=[p.name for p in multiprocessing.active_children()])
