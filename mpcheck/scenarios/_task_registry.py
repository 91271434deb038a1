"""A stand-in for a task library (Celery, Dramatiq, Huey, a plugin system): a module-level table that the
``@task`` decorator fills with the functions of whatever module uses it, and a worker entry point that looks
a task up by name. Used by ``registry_filled_by_decorator``; its tasks are in ``_registered_tasks``."""

TASKS = {}


def task(func):
    TASKS[func.__name__] = func
    return func


def run(name, *args):
    return TASKS[name](*args)
