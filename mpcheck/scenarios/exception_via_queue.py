"""A child catches 1/0 and puts the exception on a Queue; its finally block runs; the parent gets it.

The exception crosses the Queue by pickling, which keeps only its type and args: the parent gets a
``ZeroDivisionError("division by zero")`` with ``__traceback__`` None (the child's traceback is lost).
The child handles the error, so its exit code is 0, and its ``finally`` block runs before it exits.
"""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "error": "ZeroDivisionError",
        "is_instance": True,
        "message": "division by zero",
        "traceback_is_none": True,
        "finally_ran": True,
        "exitcode": 0,
    }
)


def worker(queue):
    try:
        1 / 0
    except ZeroDivisionError as exc:
        queue.put(exc)
    finally:
        queue.put("finally ran")


if __name__ == "__main__":
    queue = Queue()
    p = Process(target=worker, args=(queue,))
    p.start()
    exc = queue.get(timeout=30)
    after = queue.get(timeout=30)
    p.join()
    print(f"parent got {exc!r}, then {after!r}")

    report(
        error=error_name(exc),
        is_instance=isinstance(exc, ZeroDivisionError),
        message=str(exc),
        traceback_is_none=exc.__traceback__ is None,
        finally_ran=after == "finally ran",
        exitcode=p.exitcode,
    )
