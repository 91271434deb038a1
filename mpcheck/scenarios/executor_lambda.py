"""``executor.submit(lambda: ...)`` fails under every start method, fork included.

A ``Process`` target is inherited by a forked child, but an executor always pickles each call onto
its call queue, whichever way its workers were started, so a lambda fails to pickle everywhere.
``submit()`` itself succeeds: the pickling happens later, in the call queue's feeder thread, and the
error is set on the future, so ``result()`` raises it: ``_pickle.PicklingError`` "Can't pickle
<function <lambda> at 0x...>: attribute lookup <lambda> on __main__ failed", from 3.14 "...: it's not
found as __main__.<lambda>" (gh-122311 unified pickle's error messages). The executor stays usable:
a module-level function submitted next works.

On PyPy the pickling error is the pure-Python pickler's: ``pickle.PicklingError`` up to 7.3.19,
``_pickle.PicklingError`` from 8.0 (see :mod:`mpcheck.scenarios._pypy`), worded "Can't pickle
<function <lambda> at 0x...>: it's not found as __main__.<lambda>" on every version (PyPy's
``save_global`` is ``pickle.py``'s). On PyPy 7.3.10/7.3.11 under spawn and forkserver ``submit()``
itself raises ``AttributeError`` (a bug in PyPy's copy of ``concurrent/futures/process.py``,
pypy/pypy#3873): the scenario reports that as ``submit_error`` and nothing else.
"""

import sys
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, by_impl, contains, since
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import PYPY_PICKLING_ERROR, SUBMIT_ERROR, when_submit_works

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "result_error": when_submit_works(by_impl(pypy=PYPY_PICKLING_ERROR, default="_pickle.PicklingError")),
        "result_message": when_submit_works(
            by_impl(
                pypy=contains("it's not found as __main__.<lambda>"),
                default=since(
                    "3.14",
                    contains("it's not found as __main__.<lambda>"),
                    contains("attribute lookup <lambda> on __main__ failed"),
                ),
            )
        ),
        "next_task_result": when_submit_works(4),
    }
)


def square(x):
    return x * x


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        try:
            future = executor.submit(lambda: 1)  # lint: MP101
            submit_error = None
        except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
            print(f"submit() raised {error_name(exc)}: {exc}")
            report(submit_error=f"{error_name(exc)}: {exc}")
            sys.exit(0)
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
