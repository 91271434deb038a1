"""Starting a process while another thread runs: a DeprecationWarning under fork on 3.12+.

From 3.12 ``os.fork()`` warns when the process has more than one thread ("This process is
multi-threaded, use of fork() may lead to deadlocks in the child", gh-100228): a lock held by the
other thread at fork time stays locked forever in the child. Only the fork start method calls
``os.fork()`` in the script's process. spawn starts a fresh interpreter through
``_posixsubprocess.fork_exec`` (fork immediately followed by exec), which does not warn; forkserver
forks from its own single-threaded server, which was itself started with fork_exec, so the script sees
no warning either. Before 3.12 nothing warns under any method.

The control: the same start() before the other thread exists warns under no method and no version.
(It also shows the harness adds no thread of its own to the cell: it would make every fork warn.)
"""

import threading
import warnings
from multiprocessing import Process

from mpcheck.expect import Expect, by_method, contains, when
from mpcheck.facts import report
from mpcheck.methods import FORK_WITH_THREADS_WARNS

EXPECT = Expect(
    facts={
        "warnings_single_threaded": [],
        "warnings": by_method(fork=when(FORK_WITH_THREADS_WARNS, ["DeprecationWarning"], []), default=[]),
        "message": by_method(fork=when(FORK_WITH_THREADS_WARNS, contains("is multi-threaded"), None), default=None),
        "other_thread_alive_at_start": True,
        "exitcode": 0,
    }
)


def busy(started, stop):
    started.set()
    stop.wait(30)


def worker():
    print("child running")


def start_recording_warnings(process):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        process.start()  # sanitize: MP112
    return caught


if __name__ == "__main__":
    alone = Process(target=worker)
    caught_alone = start_recording_warnings(alone)
    alone.join()

    started, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=busy, args=(started, stop))
    thread.start()
    started.wait(30)

    p = Process(target=worker)
    alive = thread.is_alive()
    caught = start_recording_warnings(p)  # lint: MP112
    stop.set()
    thread.join()
    p.join()

    for w in caught:
        print(f"{w.category.__name__}: {w.message}")
    report(
        warnings_single_threaded=[w.category.__name__ for w in caught_alone],
        warnings=[w.category.__name__ for w in caught],
        message=str(caught[0].message) if caught else None,
        other_thread_alive_at_start=alive,
        exitcode=p.exitcode,
    )
