"""A task library for the registry programs: ``@task`` fills ``TASKS``, a worker runs a task by name."""

TASKS = {}


def task(func):
    TASKS[func.__name__] = func
    return func


def run(name, *args):
    print(TASKS[name](*args))
