"""Lambdas and main-block functions as targets: fine under fork, broken under spawn and forkserver.

Under fork the child inherits the target object itself. Under spawn and forkserver the Process is
pickled, and a function pickles as a reference (module + name) that the child looks up again:

* ``Process(target=lambda: ...)`` cannot be pickled, so ``start()`` raises in the parent
  (``_pickle.PicklingError``: "attribute lookup <lambda> on __main__ failed"). A lambda made inside
  a function is a *local* object: ``AttributeError`` "Can't pickle local object" up to 3.13 (3.12.5+
  and 3.13 word it "Can't get local object"), ``PicklingError`` from 3.14 (gh-122311, gh-139806).
* a function defined inside ``if __name__ == "__main__":`` pickles fine, but the child re-imports the
  script as ``__mp_main__``, where the main block does not run: unpickling fails in the child with
  "Can't get attribute 'shout' on <module '__mp_main__'>" (from 3.14, getattr's own "module
  '__mp_main__' has no attribute 'shout'", gh-122311; seen on 3.14.8, 3.14.10, 3.15.0 and 3.15.2),
  and it exits with code 1.
* ``Pool.map`` always pickles its tasks, so a lambda fails there under every method, fork included.
* a bound method of a picklable object and a ``functools.partial`` of a module-level function pickle
  by reference to things the child can import: they work under every method.

On Windows a failed ``start()`` has already made its child: spawn there creates the process before it
pickles the Process object (``popen_spawn_win32.py``:75-77, then :94-95 in 3.11.7). The child re-imports
the script and exits with code 1 on the pickle that never came (``spawn.py`` ``_main``). The scenario
waits for each such child (``failed_start_children``: their exit codes, ``[1, 1]`` for the two lambdas on
win32, ``[]`` where spawn and forkserver pickle first), so none can hold a file or outlive the cell.

PyPy pickles as CPython's pure-Python ``pickle.py`` does, not as its C ``_pickle``: ``save_global``
turns every failed lookup, a local object's included, into ``PicklingError`` "Can't pickle <function
make_greeter.<locals>.<lambda> ...>: it's not found as __main__.make_greeter.<locals>.<lambda>". So a
local lambda fails with ``PicklingError``, never ``AttributeError``, on every PyPy. Up to PyPy 7.3.19
``pickle.Pickler`` *is* the pure-Python ``pickle._Pickler`` and the error's class lives in ``pickle``
(seen on 7.3.11 and 7.3.19, where ``import _pickle`` fails); PyPy 8.0 added an RPython ``_pickle``
module ("Optimized RPython implementation for the Python pickle module",
https://github.com/pypy/pypy/tree/py3.11/pypy/module/_pickle) that keeps the pure-Python behaviour and
wording, and the class is ``_pickle.PicklingError`` as on CPython (seen on 8.0.1).
"""

import functools
import os
import sys
import tempfile
from multiprocessing import Pool, Process, Queue

from mpcheck.expect import Expect, by_impl, by_method, by_platform, contains, matches, since
from mpcheck.facts import children_of_failed_start, error_name, report
from mpcheck.scenarios._pypy import PYPY_PICKLING_ERROR

# --- observation only, not part of the user's code: when the parent asks, a child that re-imports
# this file sends its stderr to a file, so the parent can read why the child died. ---
# (fd 2 for what the interpreter writes itself, sys.stderr for tracebacks: it may be None on Windows)
if os.environ.get("CAPTURE_STDERR_TO"):
    sys.stderr = open(os.environ["CAPTURE_STDERR_TO"], "a", encoding="utf-8")  # noqa: SIM115
    os.dup2(sys.stderr.fileno(), 2)

# The child's unpickler looks ``shout`` up on ``__mp_main__``. Up to 3.13 pickle words the failure
# itself; from 3.14 it lets getattr's own AttributeError through (gh-122311, pickle's errors unified).
SHOUT_MISSING_BEFORE_314 = matches(r"^AttributeError: Can't get attribute 'shout' on <module '__mp_main__'")
SHOUT_MISSING_SINCE_314 = matches(r"^AttributeError: module '__mp_main__' has no attribute 'shout'$")

EXPECT = Expect(
    facts={
        "main_block_function_exitcode": by_method(fork=0, default=1),
        "main_block_function_child_error": by_method(
            fork=None, default=since("3.14", SHOUT_MISSING_SINCE_314, SHOUT_MISSING_BEFORE_314)
        ),
        "lambda_start_error": by_method(
            fork=None, default=by_impl(pypy=PYPY_PICKLING_ERROR, default="_pickle.PicklingError")
        ),
        "lambda_start_message": by_method(fork=None, default=contains("<lambda>")),
        "lambda_exitcode": by_method(fork=0, default=None),
        "local_lambda_start_error": by_method(
            fork=None,
            default=by_impl(pypy=PYPY_PICKLING_ERROR, default=since("3.14", "_pickle.PicklingError", "AttributeError")),
        ),
        "local_lambda_start_message": by_method(
            fork=None,
            default=by_impl(
                pypy=contains("it's not found as __main__.make_greeter.<locals>.<lambda>"),
                default=contains("local object"),
            ),
        ),
        "local_lambda_exitcode": by_method(fork=0, default=None),
        # win32: spawn makes the child before pickling (see the docstring); each exits 1 on the missing pickle
        "failed_start_children": by_platform(win32=[1, 1], default=[]),
        "pool_map_lambda_error": by_impl(pypy=PYPY_PICKLING_ERROR, default="_pickle.PicklingError"),
        "bound_method_and_partial_exitcodes": [0, 0],
        "bound_method_and_partial_messages": ["hello from a bound method", "hello from a partial"],
        "pool_map_bound_method": [3, 6, 9],
        "pool_map_partial": [10, 20, 30],
    }
)


class Greeter:
    def __init__(self, greeting):
        self.greeting = greeting

    def greet(self, queue):
        queue.put(f"{self.greeting} from a bound method")


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def apply(self, x):
        return self.factor * x


def greet(greeting, queue):
    queue.put(f"{greeting} from a partial")


def scale(factor, x):
    return factor * x


def make_greeter(name):
    return lambda: print(f"hello from {name}")  # sanitize: MP101


def try_start(orphans, target):
    """Start and join a Process; (error type, message, exit code). The exit codes of the children a failed
    start had already made (Windows) are added to ``orphans``, once they have ended."""
    p = Process(target=target)
    try:
        p.start()
    except Exception as exc:
        print(f"start() raised {error_name(exc)}: {exc}")
        orphans.extend(children_of_failed_start(exc))
        return error_name(exc), str(exc), None
    p.join(timeout=30)
    return None, None, p.exitcode


if __name__ == "__main__":

    def shout():  # sanitize: MP101
        print("hello from a function defined in the main block")

    with tempfile.TemporaryDirectory() as tmp:
        captured = os.path.join(tmp, "child-stderr.txt")
        os.environ["CAPTURE_STDERR_TO"] = captured  # set before any child (and the forkserver) starts
        orphans = []
        _, _, shout_exitcode = try_start(orphans, shout)  # lint: MP101
        try:
            with open(captured, encoding="utf-8", errors="replace") as fh:
                lines = [line for line in fh.read().splitlines() if line.strip()]
        except FileNotFoundError:  # fork: the child never re-imported this file
            lines = []
        shout_error = lines[-1] if lines else None
        print("main-block function: exit code", shout_exitcode, "child error:", shout_error)

        lambda_error, lambda_message, lambda_exitcode = try_start(
            orphans,
            lambda: print("hello from a lambda"),  # sanitize: MP101  # lint: MP101
        )
        local_error, local_message, local_exitcode = try_start(orphans, make_greeter("a local lambda"))  # lint: MP101

        queue = Queue()
        workers = [
            Process(target=Greeter("hello").greet, args=(queue,)),
            Process(target=functools.partial(greet, "hello"), args=(queue,)),
        ]
        for p in workers:
            p.start()
        messages = sorted(queue.get(timeout=30) for _ in workers)
        for p in workers:
            p.join(timeout=30)

        with Pool(2) as pool:
            try:
                pool.map(lambda x: 2 * x, range(3))  # lint: MP101
                pool_error = None
            except Exception as exc:
                pool_error = error_name(exc)
                print(f"Pool.map(lambda) raised {pool_error}: {exc}")
            by_bound_method = pool.map(Scaler(3).apply, [1, 2, 3])
            by_partial = pool.map(functools.partial(scale, 10), [1, 2, 3])
            pool.close()
            pool.join()

    report(
        main_block_function_exitcode=shout_exitcode,
        main_block_function_child_error=shout_error,
        lambda_start_error=lambda_error,
        lambda_start_message=lambda_message,
        lambda_exitcode=lambda_exitcode,
        local_lambda_start_error=local_error,
        local_lambda_start_message=local_message,
        local_lambda_exitcode=local_exitcode,
        failed_start_children=orphans,
        pool_map_lambda_error=pool_error,
        bound_method_and_partial_exitcodes=[p.exitcode for p in workers],
        bound_method_and_partial_messages=messages,
        pool_map_bound_method=by_bound_method,
        pool_map_partial=by_partial,
    )
