"""The tasks of ``registry_filled_by_decorator``: a module of the program that registers its functions
with the stand-in task library's decorator when it is imported (as a test module or a plugin does)."""

from mpcheck.scenarios._task_registry import task


@task
def double(x):
    return 2 * x
