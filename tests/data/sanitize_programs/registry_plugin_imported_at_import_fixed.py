"""A look-alike of registry_filled_by_plugin_broken: the script imports the tasks' module at its top level,
which a spawn child's re-import of the script runs too; the worker's table is filled under every method."""

from multiprocessing import Process

import tasklib.jobs  # noqa: F401
from tasklib import run

if __name__ == "__main__":
    p = Process(target=run, args=("double", 3))
    p.start()
    p.join()
    if p.exitcode:
        raise SystemExit(p.exitcode)
