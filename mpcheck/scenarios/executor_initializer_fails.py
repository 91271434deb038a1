"""An executor ``initializer`` that raises: ``result()`` raises ``BrokenProcessPool``, no hang.

The worker runs the initializer before taking any task; when it raises, the worker logs
"Exception in initializer:" with the traceback (``concurrent.futures`` logger, CRITICAL, which with
no logging configured reaches stderr through logging's last-resort handler) and exits without a
result. The executor sees a worker gone and breaks: the submitted future fails with
``BrokenProcessPool`` right away, and so does every later ``submit()``. The same under every start
method. The traceback is read from stderr, which the workers inherit: fd 2 points at a file while
the executor runs (under forkserver the server is started then, and its children inherit its fd 2).
"""

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "result_error": "concurrent.futures.process.BrokenProcessPool",
        "submit_after_error": "concurrent.futures.process.BrokenProcessPool",
        "stderr_says": contains("Exception in initializer"),
        "stderr_traceback": contains("RuntimeError: cannot reach the database"),
    }
)


def connect():
    raise RuntimeError("cannot reach the database")


def work(x):
    return x


if __name__ == "__main__":
    with tempfile.TemporaryFile(mode="w+") as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)  # the workers (and a fork server) inherit fd 2
        try:
            executor = ProcessPoolExecutor(max_workers=1, initializer=connect)
            try:
                executor.submit(work, 1).result(timeout=30)
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
    print(f"result() -> {result_error}; the workers' stderr:\n{stderr}")

    report(result_error=result_error, submit_after_error=submit_error, stderr_says=stderr, stderr_traceback=stderr)
