"""A Pool worker raises an exception that cannot be unpickled: ``get()`` times out instead of raising.

The worker pickles the exception by its class and ``args``. ``PairError(a, b)`` keeps a single
message in ``args``, so rebuilding it calls ``PairError(message)`` and fails with TypeError in the
parent's result-handler thread, which dies (cpython#79492, still open). Nobody will ever fill in the
result: ``AsyncResult.get(timeout)`` raises ``multiprocessing.TimeoutError``, and without a timeout
it would block forever. The pool is broken for good: ``terminate()`` raises ``AssertionError("Cannot
have cache with result_handler not alive")`` (spelt "result_hander" before 3.12) part way through,
after it has asked the workers to stop but before it terminates and joins them, so the scenario ends
the workers itself. The same under every start method.
"""

import multiprocessing
from multiprocessing import Event, Pool

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "get_error": "multiprocessing.context.TimeoutError",
        "result_handler_alive": False,
        "result_ready": False,
        "terminate_error": "AssertionError",
        "terminate_message": contains("Cannot have cache with result_han"),
        "children_left": [],
    }
)


class PairError(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a} does not go with {b}")
        self.a, self.b = a, b


def init(event):
    global started
    started = event


def work(x):
    started.set()
    raise PairError(x, x + 1)


if __name__ == "__main__":
    started = Event()
    pool = Pool(2, initializer=init, initargs=(started,))
    result = pool.apply_async(work, (1,))
    started.wait(30)
    # The thread that delivers results dies unpickling the worker's exception. Once it is dead the
    # result can never arrive, so a short get() timeout proves the hang as surely as a long one.
    pool._result_handler.join(30)
    handler_alive = pool._result_handler.is_alive()
    try:
        result.get(timeout=0.5)
        get_error = None
    except Exception as exc:
        print(f"get() -> {exc!r}")
        get_error = error_name(exc)

    try:
        pool.terminate()
        terminate_error = terminate_message = None
    except AssertionError as exc:
        print(f"terminate() -> {exc!r}")
        terminate_error, terminate_message = error_name(exc), str(exc)
    for worker in pool._pool:  # what terminate() did not get to do
        worker.terminate()
        worker.join(30)

    report(
        get_error=get_error,
        result_handler_alive=handler_alive,
        result_ready=result.ready(),
        terminate_error=terminate_error,
        terminate_message=terminate_message,
        children_left=[p.name for p in multiprocessing.active_children()],
    )
