"""A task raises ``ValueError``: ``result()`` re-raises it, with the worker's traceback as its cause.

The worker pickles the exception together with its formatted traceback; the parent re-raises an
exception of the same type and message, whose ``__cause__`` is a
``concurrent.futures.process._RemoteTraceback`` holding the worker's traceback text (the line that
raised included), so the parent's traceback shows where in the worker it failed. The same under
every start method.

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import sys
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "error": when_submit_works("ValueError"),
        "message": when_submit_works("no square root of -4"),
        "cause": when_submit_works("concurrent.futures.process._RemoteTraceback"),
        "cause_has_worker_line": when_submit_works(contains('raise ValueError(f"no square root of {x}")')),
        "cause_has_worker_error": when_submit_works(contains("ValueError: no square root of -4")),
    }
)


def square_root(x):
    if x < 0:
        raise ValueError(f"no square root of {x}")
    return x**0.5


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        try:
            future = executor.submit(square_root, -4)
        except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
            print(f"submit() raised {error_name(exc)}: {exc}")
            report(submit_error=f"{error_name(exc)}: {exc}")
            sys.exit(0)
        try:
            future.result(timeout=30)
            error = None
        except ValueError as exc:
            error = exc
    cause = error.__cause__
    print(f"result() raised {error!r}, caused by:{cause}")
    report(
        submit_error=None,
        error=error_name(error),
        message=str(error),
        cause=error_name(cause),
        cause_has_worker_line=str(cause),
        cause_has_worker_error=str(cause),
    )
