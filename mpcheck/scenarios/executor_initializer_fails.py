"""An executor ``initializer`` that raises: ``result()`` raises ``BrokenProcessPool``, no hang.

The worker runs the initializer before taking any task; when it raises, the worker logs
"Exception in initializer:" with the traceback (``concurrent.futures`` logger, CRITICAL, which with
no logging configured reaches stderr through logging's last-resort handler) and exits without a
result. The executor sees a worker gone and breaks: the submitted future fails with
``BrokenProcessPool`` right away, and so does every later ``submit()``. The same under every start
method. The traceback is read from stderr, which the workers inherit: fd 2 points at a file while
the executor runs (under forkserver the server is started then, and its children inherit its fd 2).

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "result_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        "submit_after_error": when_submit_works("concurrent.futures.process.BrokenProcessPool"),
        "stderr_says": when_submit_works(contains("Exception in initializer")),
        "stderr_traceback": when_submit_works(contains("RuntimeError: cannot reach the database")),
    }
)


def connect():
    raise RuntimeError("cannot reach the database")


def work(x):
    return x


if __name__ == "__main__":
    submit_broken = None
    with tempfile.TemporaryFile(mode="w+") as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)  # the workers (and a fork server) inherit fd 2
        try:
            executor = ProcessPoolExecutor(max_workers=1, initializer=connect)
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
        stderr = captured.read()
    if submit_broken is not None:
        print(f"submit() raised {submit_broken}")
        report(submit_error=submit_broken)
        sys.exit(0)
    print(f"result() -> {result_error}; the workers' stderr:\n{stderr}")

    report(
        submit_error=None,
        result_error=result_error,
        submit_after_error=submit_error,
        stderr_says=stderr,
        stderr_traceback=stderr,
    )
