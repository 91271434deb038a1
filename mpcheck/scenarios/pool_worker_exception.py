"""A Pool worker's exception is re-raised in the parent, same type and message; __cause__ has the worker's traceback.

The worker pickles the exception together with its formatted traceback. The parent re-raises an
exception of the same type and message, whose ``__cause__`` is a ``multiprocessing.pool.RemoteTraceback``
carrying the worker's traceback as text (the function name and the raising line), since a traceback
object cannot cross processes. The same under every start method.
"""

from multiprocessing import Pool

from mpcheck.expect import Expect, matches
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "error_type": "ValueError",
        "error_message": "negative input: -2",
        "cause_type": "multiprocessing.pool.RemoteTraceback",
        # the worker's frame: its function name, then the raising line
        "cause_text": matches(r"line \d+, in check_positive\n\s+raise ValueError\(f\"negative input: \{x\}\"\)"),
        "next_map": [1, 2, 3],
    }
)


def check_positive(x):
    if x < 0:
        raise ValueError(f"negative input: {x}")
    return x


if __name__ == "__main__":
    pool = Pool(2)
    try:
        pool.map(check_positive, [1, -2, 3])
        error = None
    except ValueError as exc:
        error = exc
        print("re-raised in the parent:", repr(exc))
        print("its __cause__:", exc.__cause__)
    following = pool.map(check_positive, [1, 2, 3])
    pool.close()
    pool.join()

    cause = error.__cause__ if error else None
    report(
        error_type=error_name(error) if error else None,
        error_message=str(error) if error else None,
        cause_type=error_name(cause) if cause else None,
        cause_text=str(cause),
        next_map=following,
    )
