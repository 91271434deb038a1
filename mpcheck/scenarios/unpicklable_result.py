"""A Pool worker returns an unpicklable object: MaybeEncodingError in the parent, and the pool still works.

Results travel back to the parent pickled. A worker whose function returns a ``threading.Lock``
cannot send it: the worker catches the pickling error and sends a ``MaybeEncodingError`` (naming the
value and the reason) in place of the result, so ``map`` raises it in the parent. The worker survives,
and the same pool serves the next ``map`` correctly. The same under every start method.
"""

import threading
from multiprocessing import Pool
from multiprocessing.pool import MaybeEncodingError

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "error_type": "multiprocessing.pool.MaybeEncodingError",
        "error_message": contains("Error sending result"),
        "error_reason": contains("pickle"),  # e.g. TypeError("cannot pickle '_thread.lock' object")
        "next_map": [x * x for x in range(5)],
    }
)


def make_lock(_):
    return threading.Lock()


def square(x):
    return x * x


if __name__ == "__main__":
    pool = Pool(2)
    try:
        pool.map(make_lock, range(3))
        error = None
    except MaybeEncodingError as exc:
        error = exc
        print("map(make_lock) raised:", exc)
    following = pool.map(square, range(5))
    pool.close()
    pool.join()

    report(
        error_type=error_name(error) if error else None,
        error_message=str(error),
        error_reason=error.exc if error else None,
        next_map=following,
    )
