"""An object holding a threading.Lock (a progress bar) as a Process argument: start() fails under spawn, forkserver.

Progress bars, caches and clients guard their state with a ``threading.Lock`` so threads can share
them, and programs hand such an object to a child like any other argument. Under fork the child gets a
copy, lock included, and updates its own copy (the parent's bar never moves, under any method). Under
spawn and forkserver ``start()`` pickles the Process with its arguments, and a ``threading.Lock`` cannot
be pickled: ``start()`` raises ``TypeError: cannot pickle '_thread.lock' object`` in the parent. An
object that leaves its lock out of its pickled state and makes a new one when it is rebuilt
(``__getstate__`` / ``__setstate__``) works under every method.

PyPy pickles as CPython's pure-Python ``pickle.py`` does: its lock type has no reducer, and
``save_global`` fails to find the class by name, so ``start()`` raises ``PicklingError`` "Can't pickle
<class '_thread.lock'>: it's not found as _thread.lock" (seen on PyPy 7.3.11, 7.3.19 and 8.0.1; the
error's class as in ``lambda_target``'s docstring).

On Windows a failed ``start()`` has already made its child: spawn there creates the process before it
pickles the Process object (``popen_spawn_win32.py``:75-77, then :94-95 in 3.11.7). The child re-imports
the script and exits with code 1 on the pickle that never came (``spawn.py`` ``_main``). The scenario
waits for it (``failed_start_children``: ``[1]`` on win32, read from CPython's source, not run here;
``[]`` where spawn and forkserver pickle first), so none outlives the cell.
"""

import threading
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_impl, by_method, by_platform, contains
from mpcheck.facts import children_of_failed_start, error_name, report
from mpcheck.scenarios._pypy import PYPY_PICKLING_ERROR

EXPECT = Expect(
    facts={
        "bar_start_error": by_method(fork=None, default=by_impl(pypy=PYPY_PICKLING_ERROR, default="TypeError")),
        "bar_start_message": by_method(
            fork=None,
            default=by_impl(
                pypy=contains("Can't pickle <class '_thread.lock'>: it's not found as _thread.lock"),
                default=contains("cannot pickle '_thread.lock' object"),
            ),
        ),
        "bar_child_done": by_method(fork=3, default=None),
        "bar_exitcode": by_method(fork=0, default=None),
        "parent_bar_done": 0,
        "picklable_bar_child_done": 3,
        "picklable_bar_exitcode": 0,
        # win32: spawn makes the child before pickling (see the docstring); it exits 1 on the missing pickle
        "failed_start_children": by_platform(win32=[1], default=[]),
    }
)


class Progress:
    """How many of ``total`` items are done; threads may update it."""

    def __init__(self, total):
        self.total = total
        self.done = 0
        self._lock = threading.Lock()

    def update(self, n=1):
        with self._lock:
            self.done += n


class PicklableProgress(Progress):
    """The same bar, but a copy sent to another process leaves the lock behind and makes its own."""

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()


def download(items, bar, queue):
    for _ in items:
        bar.update()
    queue.put(bar.done)


if __name__ == "__main__":
    items = ["a.csv", "b.csv", "c.csv"]
    queue = Queue()
    orphans = []

    bar = Progress(len(items))
    p = Process(target=download, args=(items, bar, queue))  # the pitfall: a lock inside  # lint: MP108
    try:
        p.start()  # sanitize: MP108
    except Exception as exc:
        print(f"start() with the bar -> {exc!r}")
        orphans.extend(children_of_failed_start(exc))
        error, message, child_done = error_name(exc), str(exc), None
    else:
        child_done = queue.get(timeout=30)
        p.join(30)
        error = message = None
    print(f"the child counted {child_done}; the parent's bar: {bar.done} of {bar.total}")

    fixed = PicklableProgress(len(items))
    q = Process(target=download, args=(items, fixed, queue))
    q.start()
    fixed_done = queue.get(timeout=30)
    q.join(30)

    report(
        bar_start_error=error,
        bar_start_message=message,
        bar_child_done=child_done,
        bar_exitcode=p.exitcode,
        parent_bar_done=bar.done,
        picklable_bar_child_done=fixed_done,
        picklable_bar_exitcode=q.exitcode,
        failed_start_children=orphans,
    )
