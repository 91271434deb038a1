"""A table a decorator fills when a module is imported: a spawn or forkserver worker never imports that module.

Task queues, plugin systems and test suites register functions with a decorator (``@task``,
``@register``) in a module-level table of a library, then hand a worker only the function's *name*.
The parent imports the module of the decorated functions at run time: a plugin loader, a task queue's
autodiscovery, pytest collecting a test module. A fork worker is a copy of the parent and finds the task.
A spawn worker imports the script again as ``__mp_main__`` (outside its main guard), the library's
module for the pickled entry point ``run``, and what those import: never the module that filled the
table, so the lookup raises ``KeyError``. A forkserver worker is forked from a server that imported the
script and those same modules: ``KeyError`` too. Importing the tasks' module in every worker (the Pool's
``initializer``) makes the three agree.

Seen on CPython 3.9.18, 3.10.13, 3.11.7, 3.12.1, 3.13.0, 3.13.5, 3.13.15, 3.13.18, 3.14.8, 3.14.10,
3.15.0, 3.15.2 and PyPy 7.3.11, 7.3.19, 8.0.1 (Linux). macOS and Windows are encoded from CPython's
source, not run: a spawn child there (and a forkserver child on macOS) imports what a Linux spawn child
imports (``multiprocessing/spawn.py``), so it fails the same way.
"""

import importlib
from multiprocessing import Pool

from mpcheck.expect import Expect, by_method
from mpcheck.facts import error_name, report
from mpcheck.scenarios._task_registry import run

TASKS_MODULE = "mpcheck.scenarios._registered_tasks"

EXPECT = Expect(
    facts={
        "plain_worker": by_method(fork=6, default="KeyError"),
        "worker_importing_the_tasks": 6,
    }
)


def double_in(pool):
    try:
        return pool.apply(run, ("double", 3))
    except KeyError as exc:
        return error_name(exc)


if __name__ == "__main__":
    import mpcheck.scenarios._registered_tasks  # noqa: F401  # sanitize: MP103

    with Pool(1) as pool:
        plain = double_in(pool)
    with Pool(1, initializer=importlib.import_module, initargs=(TASKS_MODULE,)) as pool:
        importing = double_in(pool)
    print(f"run('double', 3) in a plain worker: {plain!r}; in a worker that imports the tasks: {importing!r}")

    report(plain_worker=plain, worker_importing_the_tasks=importing)
