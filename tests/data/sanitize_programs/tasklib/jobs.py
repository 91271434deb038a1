"""The program's tasks, registered when this module is imported."""

from tasklib import task


@task
def double(x):
    return 2 * x
