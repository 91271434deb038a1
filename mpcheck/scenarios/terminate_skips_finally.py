"""terminate() on a child inside try/finally: neither the finally block nor atexit handlers run; exit code -15.

``terminate()`` sends SIGTERM, whose default action ends the process at once: Python never unwinds
the stack, so ``finally`` blocks, context managers and ``atexit`` handlers are skipped, and the exit
code is ``-signal.SIGTERM``. The same child asked to stop (an Event) runs its finally block; its atexit
handler runs at a normal exit under spawn in every version, but under fork and forkserver only from
3.13, where children started that way began running atexit handlers (gh-83856).
"""

import atexit
import signal
from multiprocessing import Event, Process, Value

from mpcheck.expect import Expect, by_method, when
from mpcheck.facts import report
from mpcheck.methods import CHILDREN_RUN_ATEXIT

EXPECT = Expect(
    facts={
        "terminated_exitcode": -signal.SIGTERM,
        "terminated_finally_ran": False,
        "terminated_atexit_ran": False,
        "stopped_exitcode": 0,
        "stopped_finally_ran": True,
        "stopped_atexit_ran": by_method(spawn=True, default=when(CHILDREN_RUN_ATEXIT, True, False)),
    }
)


def mark(flag):
    flag.value = 1


def worker(ready, stop, finally_ran, atexit_ran):
    atexit.register(mark, atexit_ran)  # sanitize: MP111  # lint: MP111
    try:
        ready.set()
        stop.wait(timeout=60)  # never set for the terminated child
    finally:
        mark(finally_ran)


def run(terminate):
    ready, stop = Event(), Event()
    finally_ran, atexit_ran = Value("i", 0), Value("i", 0)
    p = Process(target=worker, args=(ready, stop, finally_ran, atexit_ran))
    p.start()
    ready.wait(timeout=30)  # the child is inside the try block
    if terminate:
        p.terminate()
    else:
        stop.set()
    p.join(timeout=30)
    print(
        f"{'terminated' if terminate else 'stopped'}: exitcode={p.exitcode}",
        f"finally={finally_ran.value} atexit={atexit_ran.value}",
    )
    return p.exitcode, finally_ran.value == 1, atexit_ran.value == 1


if __name__ == "__main__":
    terminated = run(terminate=True)
    stopped = run(terminate=False)
    report(
        terminated_exitcode=terminated[0],
        terminated_finally_ran=terminated[1],
        terminated_atexit_ran=terminated[2],
        stopped_exitcode=stopped[0],
        stopped_finally_ran=stopped[1],
        stopped_atexit_ran=stopped[2],
    )
