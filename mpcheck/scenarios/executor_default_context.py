"""The start method of ProcessPoolExecutor's workers when no ``mp_context`` is given.

Without ``mp_context`` the executor uses multiprocessing's default context, so its workers are
started the platform's default way: fork on Linux up to 3.13, forkserver from 3.14 (gh-84559),
spawn on macOS (since 3.8, bpo-33725) and Windows. With ``max_tasks_per_child`` (new in 3.11,
bpo-44733) and no context, the executor picks spawn itself, even where fork is the default: a worker
replaced after its last task would otherwise be forked from a process whose executor thread is
running (gh-90622, GH-91587). Before 3.11 the parameter does not exist: ``TypeError``.

The workers do not report ``get_start_method()``: a spawned child takes the *parent's default* method
from its preparation data, not the context it was started by. They report what their start method
leaves visible instead: whether the worker is a copy of the parent (its ``__main__`` is the parent's,
not a re-import as ``__mp_main__``) and whether its parent is this process (forkserver children are
the server's). fork = copy, our child; spawn = fresh, our child; forkserver = fresh, the server's.
"""

import os
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import ABSENT, Expect, default_start_method, when
from mpcheck.facts import error_name, report
from mpcheck.methods import MAX_TASKS_PER_CHILD

EXPECT = Expect(
    facts={
        "workers_made_by": default_start_method(),
        "with_max_tasks_per_child": when(MAX_TASKS_PER_CHILD, "spawn", ABSENT),
        "max_tasks_per_child_error": when(MAX_TASKS_PER_CHILD, ABSENT, "TypeError"),
    },
    set_method=False,
)


def how_was_i_started(parent_pid):
    return __name__ == "__main__", os.getppid() == parent_pid


def start_method(executor):
    copy, our_child = executor.submit(how_was_i_started, os.getpid()).result(timeout=30)
    if copy:
        return "fork"
    return "spawn" if our_child else "forkserver"


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        made_by = start_method(executor)
    print(f"default workers: {made_by}")
    report(workers_made_by=made_by)

    try:
        executor = ProcessPoolExecutor(max_workers=1, max_tasks_per_child=1)
    except TypeError as exc:
        print(f"max_tasks_per_child: {exc!r}")
        report(max_tasks_per_child_error=error_name(exc))
    else:
        with executor:
            made_by = start_method(executor)
        print(f"workers with max_tasks_per_child: {made_by}")
        report(with_max_tasks_per_child=made_by)
