"""``ProcessPoolExecutor(1, max_tasks_per_child=2)`` given 6 tasks: hangs forever on 3.11–3.13.14 and 3.14.0–3.14.6.

``max_tasks_per_child`` is new in 3.11 (bpo-44733): 3.9 and 3.10 raise ``TypeError``. It refuses a
fork context with ``ValueError`` (gh-90622, GH-91587: replacing a worker would fork from a process
whose executor thread runs). Under spawn and forkserver the executor must replace each worker that
retires after its second task, and from 3.11 to 3.13.14 and 3.14.6 it does not, when the tasks were
submitted before the first one finished (as ``map()`` and a list of ``submit()`` calls do): every
non-final task completion releases a token on the executor's "idle worker" semaphore that no later
``submit()`` consumes; when the worker retires, the replacement logic takes that stale token for an
idle worker and starts nobody. No worker is left, and the 4 remaining tasks wait forever
(gh-115634). Fixed by GH-140900 (replace a retired worker whenever the pool is short, without asking
the semaphore) in 3.15.0, 3.14.7 and 3.13.15; 3.11 and 3.12 take security fixes only and keep the hang.

The hang is shown, not waited out. The tasks are held at the workers' initializer until every
``submit()`` has returned, so the stale token is certain. The executor's manager thread is watched
each time it goes back to waiting: once the first worker has retired and been handled, the pool
either has its replacement (fixed) or no process at all (hung; no result can come from anywhere).
A bounded wait then shows the tasks not done. To clean up, the scenario makes the manager thread
treat the pool as broken (its own path for a worker that died): the pending futures fail with
``BrokenProcessPool`` and the thread exits, so the interpreter can too. The 3.13.15/3.14.7 rows were
run on Debian's 3.13.15, 3.14.8 and 3.15.0; 3.14.0–3.14.6 are reasoned from the changelog.
"""

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, wait

from mpcheck.expect import ABSENT, Expect, by_method, when
from mpcheck.facts import error_name, report
from mpcheck.methods import EXECUTOR_REPLACES_RETIRED_WORKERS as REPLACES
from mpcheck.methods import MAX_TASKS_PER_CHILD as HAS_MAX_TASKS

TASKS = 6
# gh-115634 fixed in 3.13.15, 3.14.7 and 3.15.0 (GH-140900); present from 3.11.0 (bpo-44733).
REPLACED = when(REPLACES, 1, 0)
DONE = when(REPLACES, TASKS, 2)
WORKERS = when(REPLACES, 3, 1)
BROKEN = ["concurrent.futures.process.BrokenProcessPool"]
PENDING_ERRORS = when(REPLACES, ABSENT, BROKEN)


EXPECT = Expect(
    facts={
        "constructor_error": by_method(
            fork=when(HAS_MAX_TASKS, "ValueError", "TypeError"), default=when(HAS_MAX_TASKS, None, "TypeError")
        ),
        "workers_after_first_retired": by_method(fork=ABSENT, default=when(HAS_MAX_TASKS, REPLACED, ABSENT)),
        "tasks_done": by_method(fork=ABSENT, default=when(HAS_MAX_TASKS, DONE, ABSENT)),
        "distinct_workers": by_method(fork=ABSENT, default=when(HAS_MAX_TASKS, WORKERS, ABSENT)),
        "pending_errors_after_cleanup": by_method(fork=ABSENT, default=when(HAS_MAX_TASKS, PENDING_ERRORS, ABSENT)),
        "children_left": [],
    }
)


def hold(go):
    go.wait(30)  # the tasks start only once every submit() has returned


def task(x):
    return x * x, os.getpid()


class ManagerWatch:
    """Observation only: what the executor's manager thread sees each time it goes back to waiting."""

    def __init__(self, executor):
        self.thread = executor._executor_manager_thread
        self.processes = executor._processes
        self.wakeup = executor._executor_manager_thread_wakeup
        self.original = self.thread.wait_result_broken_or_wakeup
        self.snapshots = []  # the worker pids, each time the manager thread starts to wait
        self.changed = threading.Condition()
        self.give_up = False
        self.thread.wait_result_broken_or_wakeup = self.wait

    def wait(self):
        with self.changed:
            self.snapshots.append(set(self.processes))
            self.changed.notify_all()
        result_item, is_broken, cause = self.original()
        if self.give_up:
            return None, True, None  # as if a worker had died: the thread fails the futures and exits
        return result_item, is_broken, cause

    def after_retiring(self, pid, timeout):
        """The workers the pool has once the manager thread has handled ``pid``'s exit."""
        with self.changed:
            self.changed.wait_for(lambda: any(pid not in s for s in self.snapshots), timeout)
            return next(s for s in self.snapshots if pid not in s)

    def break_pool(self):
        self.give_up = True
        self.wakeup.wakeup()
        self.thread.join(30)


if __name__ == "__main__":
    go = multiprocessing.Event()
    try:
        executor = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context(), initializer=hold, initargs=(go,), max_tasks_per_child=2
        )
    except (TypeError, ValueError) as exc:
        print(f"ProcessPoolExecutor(max_tasks_per_child=2) -> {exc!r}")
        report(constructor_error=error_name(exc), children_left=[p.name for p in multiprocessing.active_children()])
    else:
        futures = [executor.submit(task, x) for x in range(TASKS)]  # what executor.map() does
        watch = ManagerWatch(executor)
        (first_worker,) = executor._processes
        go.set()
        workers = watch.after_retiring(first_worker, timeout=30)
        print(f"worker {first_worker} retired after 2 tasks; the pool now has {sorted(workers) or 'no worker'}")
        # With a replacement the tasks finish; with no worker at all nothing can finish them.
        done, pending = wait(futures, timeout=30 if workers else 0.5)
        print(f"{len(done)} tasks done, {len(pending)} still pending")
        if pending:
            watch.break_pool()
            pending_errors = sorted({error_name(f.exception(timeout=30)) for f in pending})
            print(f"after the clean-up the pending tasks failed with {pending_errors}")
        executor.shutdown(wait=True)
        report(
            constructor_error=None,
            workers_after_first_retired=len(workers),
            tasks_done=len(done),
            distinct_workers=len({f.result()[1] for f in done}),
            children_left=[p.name for p in multiprocessing.active_children()],
            **({"pending_errors_after_cleanup": pending_errors} if pending else {}),
        )
