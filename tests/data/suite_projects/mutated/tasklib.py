"""A task library: ``@task`` fills ``TASKS`` with the functions of the module that uses it."""

TASKS = {}


def task(func):
    TASKS[func.__name__] = func
    return func


def run(name, x):
    if TASKS[name](x) != 2 * x:
        raise SystemExit(3)
