"""A look-alike of registry_pool_task_broken: the program asks for a fork pool itself
(get_context("fork")), whose workers are copies of the parent and have every task the main guard's import
registered, whatever the default start method is."""

import multiprocessing

from tasklib import run

if __name__ == "__main__":
    from tasklib import jobs  # noqa: F401

    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.apply(run, ("double", 3))
