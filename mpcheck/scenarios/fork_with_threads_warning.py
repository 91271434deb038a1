"""Starting a process while another thread runs: a DeprecationWarning under fork on 3.12+.

From 3.12 ``os.fork()`` warns when the process has more than one thread ("This process is
multi-threaded, use of fork() may lead to deadlocks in the child", gh-100228): a lock held by the
other thread at fork time stays locked forever in the child. Only the fork start method calls
``os.fork()`` in the script's process. spawn starts a fresh interpreter through
``_posixsubprocess.fork_exec`` (fork immediately followed by exec), which does not warn; forkserver
forks from its own single-threaded server, which was itself started with fork_exec, so the script sees
no warning either. Before 3.12 nothing warns under any method.
"""

import threading
import warnings
from multiprocessing import Process

from mpcheck.expect import Expect, by_method, contains, since
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "warnings": by_method(fork=since("3.12", ["DeprecationWarning"], []), default=[]),
        "message": by_method(fork=since("3.12", contains("is multi-threaded"), None), default=None),
        "other_thread_alive_at_start": True,
        "exitcode": 0,
    }
)


def busy(started, stop):
    started.set()
    stop.wait(30)


def worker():
    print("child running")


if __name__ == "__main__":
    started, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=busy, args=(started, stop))
    thread.start()
    started.wait(30)

    p = Process(target=worker)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        alive = thread.is_alive()
        p.start()
    stop.set()
    thread.join()
    p.join()

    for w in caught:
        print(f"{w.category.__name__}: {w.message}")
    report(
        warnings=[w.category.__name__ for w in caught],
        message=str(caught[0].message) if caught else None,
        other_thread_alive_at_start=alive,
        exitcode=p.exitcode,
    )
