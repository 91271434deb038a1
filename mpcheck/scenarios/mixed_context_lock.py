"""A Queue made by a fork context handed to a spawn-context Process: RuntimeError from 3.11.5 on.

A fork context's semaphores are unlinked as soon as they are made (forked children inherit them), so
a spawned child has no name to reopen them by. Before 3.11.5 pickling one for a spawn child sent the
raw ``sem_t *`` handle instead: ``start()`` accepted it silently, and the child then crashed with
SIGSEGV as soon as it used the queue (the address means nothing in another process), leaving the
parent with nothing. That is Linux; macOS (not verified here) may fail with an OSError instead. The
spec's "accepted silently" is true of ``start()`` only. 3.11.5 made ``start()`` itself fail
(gh-108520): ``RuntimeError: A SemLock created in a fork context is being shared with a process in a
spawn context. This is not supported.`` The cell's own start method plays no part: the scenario
names both contexts.
"""

import multiprocessing

from mpcheck.expect import ABSENT, Expect, by_platform, contains, one_of, when
from mpcheck.facts import error_name, report
from mpcheck.methods import SEMLOCK_CONTEXT_CHECKED

EXPECT = Expect(
    facts={
        "start_error": when(SEMLOCK_CONTEXT_CHECKED, "RuntimeError", None),
        "message": when(SEMLOCK_CONTEXT_CHECKED, contains("created in a fork context"), ABSENT),
        # Before 3.11.5 the child dies of the meaningless semaphore handle: SIGSEGV on Linux. macOS is not
        # verified here: its sem_t* is a per-process handle, so an OSError (exit code 1) is as likely as a crash.
        "child_exitcode": when(SEMLOCK_CONTEXT_CHECKED, ABSENT, by_platform(linux=-11, default=one_of(1, -11, -10))),
        "parent_received": when(SEMLOCK_CONTEXT_CHECKED, ABSENT, False),
    },
    requires=("fork", "spawn"),
)


def worker(queue):
    print("child: putting on the queue")
    queue.put("hello")


if __name__ == "__main__":
    queue = multiprocessing.get_context("fork").Queue()
    p = multiprocessing.get_context("spawn").Process(target=worker, args=(queue,))  # lint: MP118
    try:
        p.start()
    except RuntimeError as exc:
        print(f"start() -> {exc!r}")
        report(start_error=error_name(exc), message=str(exc))
    else:
        p.join(timeout=30)
        print(f"start() accepted the queue; the child ended with {p.exitcode}")
        report(start_error=None, child_exitcode=p.exitcode, parent_received=not queue.empty())
