"""A thread running in the parent does not exist in the child: only the main thread runs there.

``fork()`` copies only the calling thread; after the fork, ``threading`` drops every other thread
object in the child (``threading._after_fork``), so the parent's worker thread is neither running
nor listed. spawn and forkserver children are new interpreters (forkserver forks them from its own
single-threaded server), so they trivially start with the main thread only. Whatever the parent's
thread was doing (holding a lock, serving a queue) is simply not there in the child.
"""

import os
import threading
from multiprocessing import Process, Queue

from mpcheck.expect import ABSENT, Expect, by_platform
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "parent_threads": ["MainThread", "ticker"],
        "child_threads": ["MainThread"],
        "child_active_count": 1,
        "child_os_threads": by_platform(linux=1, default=ABSENT),
        "exitcode": 0,
    }
)


def tick(started, stop):
    started.set()
    stop.wait(30)


def os_thread_count():
    """The kernel's view of this process's threads (Linux only)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Threads:"))
    except OSError:
        return None


def worker(queue):
    names = sorted(t.name for t in threading.enumerate())
    queue.put((names, threading.active_count(), os_thread_count()))


if __name__ == "__main__":
    started, stop = threading.Event(), threading.Event()
    ticker = threading.Thread(target=tick, args=(started, stop), name="ticker")
    ticker.start()
    started.wait(30)
    parent_threads = sorted(t.name for t in threading.enumerate())

    queue = Queue()
    p = Process(target=worker, args=(queue,))
    p.start()  # sanitize: MP112  # lint: MP112
    names, count, os_threads = queue.get(timeout=30)
    p.join()
    stop.set()
    ticker.join()

    print(f"parent pid {os.getpid()}: {parent_threads}; child: {names}")
    facts = dict(parent_threads=parent_threads, child_threads=names, child_active_count=count, exitcode=p.exitcode)
    if os_threads is not None:
        facts["child_os_threads"] = os_threads
    report(**facts)
