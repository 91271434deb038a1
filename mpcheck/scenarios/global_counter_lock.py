"""The pitfall: 4 processes increment a module-level counter under a module-level Lock; the parent's stays 0.

Processes do not share globals: each child increments its own copy of ``shared_counter`` (inherited
under fork, re-created at import under spawn and forkserver), so the parent's counter stays 0 under
every method, and a Lock guards nothing that is not shared.

Which Lock does a child use? The parent holds the module-level lock while it starts the children one
by one, and each child first tries to take "the" lock without blocking:

- fork: the child inherited the parent's lock (the same semaphore), which the parent holds: the try
  fails. Once the parent releases it, the children serialise on that one lock.
- spawn and forkserver: the child re-imported the script as ``__mp_main__``, which ran ``Lock()``
  again: a new, free lock the parent knows nothing about, so the try succeeds.

Where CPython differs from "each child gets its own new Lock" (not visible to this scenario's facts):
up to 3.13.7 every forkserver child re-imports the script itself, so each has its own new Lock, as
under spawn. The fix for gh-126631 / gh-137996 (GH-135295, backported to 3.13 in September 2025, so
3.13.8 on; and 3.14.1 on) makes the fork server really preload ``__main__`` once; its children inherit
that import instead of re-running it, so they share the fork server's Lock with each other, still not
the parent's. The children try the lock one at a time and none holds it meanwhile, so the fact is the
same either way (passed without preload on 3.9.18 to 3.13.5, with it on 3.13.15 to 3.15.2).

The lock is also MP120's: a Lock made at import and used by the children through the module's global is the
parent's own only under fork (``child_took_free_lock``). Lint leaves it to MP104, the counter it guards; the
sanitizer, which sees the child use the lock, names it.

A side effect seen on stderr, not asserted: under forkserver (3.9–3.13.0 here) the resource tracker warns
at the end of the cell that "4 leaked semaphore objects" remain. Each forkserver child's re-import
created a named semaphore and registered its unlink finalizer, then ``Process._bootstrap`` ran
``BaseProcess._after_fork()``, which clears ``util._finalizer_registry`` (``SpawnProcess`` overrides it
with a no-op, so spawn children clean up). The tracker unlinks them, so nothing is left behind.
"""

from multiprocessing import Event, Lock, Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

PROCESSES = 4
INCREMENTS = 1000

EXPECT = Expect(
    facts={
        "parent_counter": 0,
        "child_counters": [INCREMENTS] * PROCESSES,
        "child_took_free_lock": by_method(fork=[False] * PROCESSES, default=[True] * PROCESSES),
        "exitcodes": [0] * PROCESSES,
    }
)

shared_counter = 0
lock = Lock()  # sanitize: MP120


def increment(results, go):
    global shared_counter
    took_it = lock.acquire(block=False)  # is this the lock the parent is holding?
    if took_it:
        lock.release()
    results.put(took_it)
    go.wait(timeout=30)
    for _ in range(INCREMENTS):
        with lock:
            shared_counter += 1  # lint: MP104
    results.put(shared_counter)


if __name__ == "__main__":
    results = Queue()
    go = Event()
    processes = [Process(target=increment, args=(results, go)) for _ in range(PROCESSES)]
    took_free_lock = []
    with lock:
        for p in processes:  # one at a time: a child tries the lock while no other child holds it
            p.start()
            took_free_lock.append(results.get(timeout=30))
    go.set()
    child_counters = [results.get(timeout=30) for _ in processes]
    for p in processes:
        p.join()
    print(f"parent's shared_counter = {shared_counter}; the children counted {child_counters}")

    report(
        parent_counter=shared_counter,
        child_counters=child_counters,
        child_took_free_lock=took_free_lock,
        exitcodes=[p.exitcode for p in processes],
    )
