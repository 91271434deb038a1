"""A task ends its worker with ``os._exit(3)``: the executor is broken for good.

The executor notices a worker that exited without sending a result (its sentinel fires) and fails
*every* future not yet done with ``BrokenProcessPool``, the ones still queued behind the dead task
included; a later ``submit()`` raises ``BrokenProcessPool`` at once, and the remaining workers are
terminated, so nothing is left running. The same under every start method.

Which worker died and how: from 3.15 the ``BrokenProcessPool``'s ``__cause__`` names the pid and the
exit code ("terminated abruptly with exit code 3", gh-139462); before, the exception carries no
cause. The 3.15 message is only as reliable as the exit code the executor can read at that moment:
under forkserver (the server reports the status once it has reaped the worker) and on Windows (a
process handle) it always can, but under fork and spawn on POSIX the worker's sentinel is a pipe that
closes as it exits, a moment before ``waitpid(WNOHANG)`` can reap it, so the cause is sometimes
missing (seen under fork on 3.15.0): either a cause naming exit code 3, or none.

Since 3.13.15 and 3.14.7 each pending future gets its own ``BrokenProcessPool`` instance instead of
one shared by all (gh-101267).

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from mpcheck.expect import Expect, by_method, by_platform, one_of, since
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

EXIT_CODE_3 = "names exit code 3"

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "dying_task_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        "queued_task_errors": when_submit_works(["concurrent.futures.process.BrokenProcessPool"] * 2),
        "cause": when_submit_works(
            since(
                "3.15",
                by_platform(
                    win32=EXIT_CODE_3, default=by_method(forkserver=EXIT_CODE_3, default=one_of(EXIT_CODE_3, None))
                ),
                None,
            )
        ),
        "one_exception_per_future": when_submit_works(
            since("3.14.7", True, since("3.14", False, since("3.13.15", True, False)))
        ),
        "submit_after_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        "children_left": when_submit_works([]),
    }
)


def die(gate):
    # Wait until every task is submitted: a worker that died at once (fork starts it up front) would
    # break the pool before the parent's next submit(), which would then raise instead.
    deadline = time.monotonic() + 30
    while not os.path.exists(gate) and time.monotonic() < deadline:
        time.sleep(0.005)
    os._exit(3)


def square(x):
    return x * x


if __name__ == "__main__":
    executor = ProcessPoolExecutor(max_workers=1)
    gate = os.path.join(tempfile.mkdtemp(), "all-submitted")
    # One worker runs the tasks in order: the two behind die() are still queued when it dies.
    try:
        futures = [executor.submit(die, gate), executor.submit(square, 2), executor.submit(square, 3)]
    except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
        print(f"submit() raised {error_name(exc)}: {exc}")
        executor.shutdown(wait=True)
        shutil.rmtree(os.path.dirname(gate))
        report(submit_error=f"{error_name(exc)}: {exc}")
        sys.exit(0)
    open(gate, "w").close()  # only the file's existence counts
    errors = []
    for future in futures:
        exc = future.exception(timeout=30)
        print(f"{future!r}: {exc!r}")
        errors.append(exc)
    try:
        executor.submit(square, 4)
        submit_error = None
    except BrokenProcessPool as exc:
        print(f"submit() after the break raised {exc!r}")
        submit_error = error_name(exc)
    executor.shutdown(wait=True)
    shutil.rmtree(os.path.dirname(gate))

    cause = errors[0].__cause__
    if cause is not None and "exit code 3" in str(cause):
        cause = "names exit code 3"
    report(
        submit_error=None,
        dying_task_error=error_name(errors[0]),
        queued_task_errors=[error_name(e) for e in errors[1:]],
        cause=cause if cause is None or isinstance(cause, str) else str(cause),
        one_exception_per_future=len({id(e) for e in errors}) == len(errors),
        submit_after_error=submit_error,
        children_left=[p.name for p in multiprocessing.active_children()],
    )
