"""A Pool still open when a later Process starts: under fork a lock its threads hold stays held in the child.

A ``multiprocessing.Pool`` runs three threads of its own in the parent (they hand out tasks, collect
results and replace workers), and the callbacks of ``map_async`` and ``apply_async`` run in its
result-handler thread. A program that keeps the pool open and then starts a ``Process`` forks while those
threads run. ``fork()`` copies only the thread that calls it: a lock another thread holds at that moment
is copied *held*, and no thread in the child will ever release it. Here the pool's result thread is
inside the callback ``save()``, holding ``results_lock``, when the Process starts (made certain with
events, not left to timing): under fork the child's ``results_lock`` is held for ever, so a child that
took it with ``with results_lock:`` would hang (the scenario asks with a non-blocking ``acquire`` instead).
spawn and forkserver children import the script afresh and get a new, free lock. From 3.12 the fork also
warns (a DeprecationWarning: the process is multi-threaded), under fork only.

The fix: close and join the pool (its threads end) before the Process starts, or start the Process
with spawn or forkserver. After ``pool.join()`` the same start gets the lock under every method and
warns under none.

macOS and Windows were not run here; their expectations are read from CPython's source. Windows has
only spawn (a new lock, no fork to warn about). macOS's fork copies the held lock as Linux's does; the
warnings there rest on how ``posixmodule.c`` counts a process's threads on macOS, as for
``fork_with_threads_warning``'s control start (not verified).
"""

import threading
import warnings
from multiprocessing import Pool, Process, Queue

from mpcheck.expect import Expect, by_method, contains, when
from mpcheck.facts import report
from mpcheck.methods import FORK_WITH_THREADS_WARNS

EXPECT = Expect(
    facts={
        "results": [0, 1, 4, 9],
        "pool_threads_alive_at_start": True,
        "child_got_lock": by_method(fork=False, default=True),
        "warnings": by_method(fork=when(FORK_WITH_THREADS_WARNS, ["DeprecationWarning"], []), default=[]),
        "message": by_method(fork=when(FORK_WITH_THREADS_WARNS, contains("is multi-threaded"), None), default=None),
        "exitcode": 0,
        "after_join_child_got_lock": True,
        "after_join_warnings": [],
        "after_join_exitcode": 0,
    }
)

results_lock = threading.Lock()
results = []

# --- observation only, not part of the user's code: hold save() inside its lock while the Process starts ---
in_save = threading.Event()
may_finish = threading.Event()


def square(x):
    return x * x


def save(values):
    """The pool's callback: it runs in the pool's result-handler thread."""
    with results_lock:
        results.extend(values)
        in_save.set()
        may_finish.wait(30)


def check_results_lock(queue):
    got = results_lock.acquire(blocking=False)  # `with results_lock:` would wait for ever where it is held
    queue.put(got)


def start_recording_warnings(process):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        process.start()  # sanitize: MP112
    return [w.category.__name__ for w in caught], (str(caught[0].message) if caught else None)


if __name__ == "__main__":
    queue = Queue()
    pool = Pool(2)
    pool.map_async(square, range(4), callback=save)
    in_save.wait(30)  # the pool's result thread now holds results_lock

    p = Process(target=check_results_lock, args=(queue,))
    alive = threading.active_count() > 1
    caught, message = start_recording_warnings(p)  # lint: MP112
    child_got_lock = queue.get(timeout=30)
    p.join(30)
    may_finish.set()
    pool.close()
    pool.join()
    print(f"while the pool ran: the child got the lock: {child_got_lock}; warnings: {caught}")

    q = Process(target=check_results_lock, args=(queue,))
    after_caught, _ = start_recording_warnings(q)
    after_got_lock = queue.get(timeout=30)
    q.join(30)
    print(f"after pool.join(): the child got the lock: {after_got_lock}; warnings: {after_caught}")

    report(
        results=results,
        pool_threads_alive_at_start=alive,
        child_got_lock=child_got_lock,
        warnings=caught,
        message=message,
        exitcode=p.exitcode,
        after_join_child_got_lock=after_got_lock,
        after_join_warnings=after_caught,
        after_join_exitcode=q.exitcode,
    )
