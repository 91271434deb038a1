"""A task raises ``ValueError``: ``result()`` re-raises it, with the worker's traceback as its cause.

The worker pickles the exception together with its formatted traceback; the parent re-raises an
exception of the same type and message, whose ``__cause__`` is a
``concurrent.futures.process._RemoteTraceback`` holding the worker's traceback text (the line that
raised included), so the parent's traceback shows where in the worker it failed. The same under
every start method.
"""

from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "error": "ValueError",
        "message": "no square root of -4",
        "cause": "concurrent.futures.process._RemoteTraceback",
        "cause_has_worker_line": contains('raise ValueError(f"no square root of {x}")'),
        "cause_has_worker_error": contains("ValueError: no square root of -4"),
    }
)


def square_root(x):
    if x < 0:
        raise ValueError(f"no square root of {x}")
    return x**0.5


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        future = executor.submit(square_root, -4)
        try:
            future.result(timeout=30)
            error = None
        except ValueError as exc:
            error = exc
    cause = error.__cause__
    print(f"result() raised {error!r}, caused by:{cause}")
    report(
        error=error_name(error),
        message=str(error),
        cause=error_name(cause),
        cause_has_worker_line=str(cause),
        cause_has_worker_error=str(cause),
    )
