"""``executor.submit(lambda: ...)`` fails under every start method, fork included.

A ``Process`` target is inherited by a forked child, but an executor always pickles each call onto
its call queue, whichever way its workers were started, so a lambda fails to pickle everywhere.
``submit()`` itself succeeds: the pickling happens later, in the call queue's feeder thread, and the
error is set on the future, so ``result()`` raises it: ``_pickle.PicklingError`` "Can't pickle
<function <lambda> at 0x...>: attribute lookup <lambda> on __main__ failed", from 3.14 "...: it's not
found as __main__.<lambda>" (gh-122311 unified pickle's error messages). The executor stays usable:
a module-level function submitted next works.
"""

from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, contains, since
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "submit_error": None,
        "result_error": "_pickle.PicklingError",
        "result_message": since(
            "3.14",
            contains("it's not found as __main__.<lambda>"),
            contains("attribute lookup <lambda> on __main__ failed"),
        ),
        "next_task_result": 4,
    }
)


def square(x):
    return x * x


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        try:
            future = executor.submit(lambda: 1)  # lint: MP101
            submit_error = None
        except Exception as exc:
            submit_error, future = error_name(exc), None
        try:
            future.result(timeout=30)
            result_error = result_message = None
        except Exception as exc:
            print(f"result() raised {exc!r}")
            result_error, result_message = error_name(exc), str(exc)
        next_result = executor.submit(square, 2).result(timeout=30)

    report(
        submit_error=submit_error,
        result_error=result_error,
        result_message=result_message,
        next_task_result=next_result,
    )
