"""A generator handed to a Process as an argument: fine under fork, ``start()`` fails under spawn and forkserver.

Programs stream work to a child by handing it an iterator: ``Process(target=consume, args=(records(),))``.
Under fork the child is a copy of the parent, generator and all, and iterates its own copy. Under spawn
and forkserver ``start()`` pickles the Process with its arguments, and a generator cannot be pickled (its
frame is live interpreter state): ``start()`` raises ``TypeError: cannot pickle 'generator' object`` in
the parent. Handing the child what it needs to make the items itself (here the list, or the generator
function and its arguments) works under every method.

PyPy pickles as CPython's pure-Python ``pickle.py`` does: a generator has no reducer there, and
``save_global`` fails to find its class by name, so ``start()`` raises ``PicklingError`` "Can't pickle
<class 'generator'>: it's not found as builtins.generator" (seen on PyPy 7.3.11, 7.3.19 and 8.0.1; the
error's class as in ``lambda_target``'s docstring).

On Windows a failed ``start()`` has already made its child: spawn there creates the process before it
pickles the Process object (``popen_spawn_win32.py``:75-77, then :94-95 in 3.11.7). The child re-imports
the script and exits with code 1 on the pickle that never came (``spawn.py`` ``_main``). The scenario
waits for it (``failed_start_children``: ``[1]`` on win32, read from CPython's source, not run here;
``[]`` where spawn and forkserver pickle first), so none outlives the cell.
"""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_impl, by_method, by_platform, contains
from mpcheck.facts import children_of_failed_start, error_name, report
from mpcheck.scenarios._pypy import PYPY_PICKLING_ERROR

EXPECT = Expect(
    facts={
        "generator_start_error": by_method(fork=None, default=by_impl(pypy=PYPY_PICKLING_ERROR, default="TypeError")),
        "generator_start_message": by_method(
            fork=None,
            default=by_impl(
                pypy=contains("Can't pickle <class 'generator'>: it's not found as builtins.generator"),
                default=contains("cannot pickle 'generator' object"),
            ),
        ),
        "generator_total": by_method(fork=60, default=None),
        "generator_exitcode": by_method(fork=0, default=None),
        "list_total": 60,
        "generator_function_total": 60,
        # win32: spawn makes the child before pickling (see the docstring); it exits 1 on the missing pickle
        "failed_start_children": by_platform(win32=[1], default=[]),
    }
)


def records(n):
    for i in range(n):
        yield {"id": i, "size": 10 * (i + 1)}


def total_size(items, queue):
    queue.put(sum(item["size"] for item in items))


def total_size_of(make, n, queue):
    total_size(make(n), queue)


if __name__ == "__main__":
    queue = Queue()
    orphans = []

    p = Process(target=total_size, args=(records(3), queue))  # the pitfall: a generator  # lint: MP108
    try:
        p.start()  # sanitize: MP108
    except Exception as exc:
        print(f"start() with a generator -> {exc!r}")
        orphans.extend(children_of_failed_start(exc))
        error, message, total = error_name(exc), str(exc), None
    else:
        total = queue.get(timeout=30)
        p.join(30)
        error = message = None
    print(f"generator: {total}, exit code {p.exitcode}")

    q = Process(target=total_size, args=(list(records(3)), queue))  # the items themselves pickle
    q.start()
    list_total = queue.get(timeout=30)
    q.join(30)

    r = Process(target=total_size_of, args=(records, 3, queue))  # so does the function that makes them
    r.start()
    function_total = queue.get(timeout=30)
    r.join(30)

    report(
        generator_start_error=error,
        generator_start_message=message,
        generator_total=total,
        generator_exitcode=p.exitcode,
        list_total=list_total,
        generator_function_total=function_total,
        failed_start_children=orphans,
    )
