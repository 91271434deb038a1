"""An executor ``initializer`` that raises: ``result()`` raises ``BrokenProcessPool``, no hang.

The worker runs the initializer before taking any task; when it raises, the worker logs
"Exception in initializer:" with the traceback (``concurrent.futures`` logger, CRITICAL, which with
no logging configured reaches ``sys.stderr`` through logging's last-resort handler) and exits without
a result. The executor sees a worker gone and breaks: the submitted future fails with
``BrokenProcessPool`` right away, and so does every later ``submit()``. The same under every start
method.

Where the worker's stderr is (fact ``worker_stderr``): on Linux and macOS the parent's fd 2, inherited
(it points at a file while the executor runs; under forkserver the server is started then, and its
children inherit its fd 2), and the log is read from that file. A Windows spawn worker is created with
``bInheritHandles=False`` and no standard handles in its STARTUPINFO (``popen_spawn_win32.py``:75-77 in
3.11.7, :73-75 in 3.9.18), so what it gets is Windows' rule, not CPython's: the parent's standard
handles duplicated into a console child (eryksun in microsoft/terminal#11276), none at all (then
``sys.stderr`` is None), or a console of its own when the parent has none. The initializer says which,
and where it is not the parent's fd 2 it first points its ``sys.stderr`` at a file the parent named in
``initargs``: the log is read wherever it went, and never depends on an inherited handle.

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from mpcheck.expect import Expect, by_platform, contains, one_of
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

PARENTS_FD2 = "the parent's fd 2"
NO_STDERR = "none"
OTHER_STREAM = "another stream"

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "result_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        "submit_after_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        # win32: each of the three is what Windows may do with a child created without inherited handles
        # (see the docstring); CPython's source does not decide which.
        "worker_stderr": when_submit_works(
            by_platform(win32=one_of(PARENTS_FD2, NO_STDERR, OTHER_STREAM), default=PARENTS_FD2)
        ),
        "stderr_says": when_submit_works(contains("Exception in initializer")),
        "stderr_traceback": when_submit_works(contains("RuntimeError: cannot reach the database")),
    }
)


def worker_stderr(parents_stderr):
    """What this worker's ``sys.stderr`` is: the file the parent's fd 2 points at, none, or another stream."""
    if sys.stderr is None:
        return NO_STDERR
    try:
        same = os.path.samestat(os.fstat(sys.stderr.fileno()), os.stat(parents_stderr))
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both OSError and ValueError
        same = False
    return PARENTS_FD2 if same else OTHER_STREAM


def connect(parents_stderr, own_stderr):
    # observation only, not part of the user's code: say where this worker's stderr is, and where it
    # is not the parent's, send it to a file the parent reads
    where = worker_stderr(parents_stderr)
    with open(own_stderr, "a", encoding="utf-8") as fh:
        fh.write(where + "\n")
    if where != PARENTS_FD2:
        sys.stderr = open(own_stderr, "a", encoding="utf-8")  # noqa: SIM115 - for the rest of the worker's life
    raise RuntimeError("cannot reach the database")


def work(x):
    return x


if __name__ == "__main__":
    submit_broken = None
    with tempfile.TemporaryDirectory() as tmp:
        parents_stderr = os.path.join(tmp, "parent-fd2.txt")
        own_stderr = os.path.join(tmp, "worker-stderr.txt")
        with open(parents_stderr, "w+", encoding="utf-8") as captured:
            sys.stderr.flush()
            saved = os.dup(2)
            os.dup2(captured.fileno(), 2)  # the workers (and a fork server) inherit fd 2 where fds are inherited
            try:
                initargs = (parents_stderr, own_stderr)
                executor = ProcessPoolExecutor(max_workers=1, initializer=connect, initargs=initargs)
                try:
                    future = executor.submit(work, 1)
                except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
                    submit_broken = f"{error_name(exc)}: {exc}"
                if submit_broken is None:
                    try:
                        future.result(timeout=30)
                        result_error = None
                    except BrokenProcessPool as exc:
                        result_error = error_name(exc)
                    try:
                        executor.submit(work, 2)
                        submit_error = None
                    except BrokenProcessPool as exc:
                        submit_error = error_name(exc)
                executor.shutdown(wait=True)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            captured.seek(0)
            inherited = captured.read()
        if submit_broken is None:
            with open(own_stderr, encoding="utf-8") as fh:
                where, _, own = fh.read().partition("\n")
    if submit_broken is not None:
        print(f"submit() raised {submit_broken}")
        report(submit_error=submit_broken)
        sys.exit(0)
    stderr = inherited if where == PARENTS_FD2 else own
    print(f"result() -> {result_error}; the worker's stderr ({where}):\n{stderr}")

    report(
        submit_error=None,
        result_error=result_error,
        submit_after_error=submit_error,
        worker_stderr=where,
        stderr_says=stderr,
        stderr_traceback=stderr,
    )
