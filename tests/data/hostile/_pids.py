"""Hostile scenarios write each of their pids here, so the tests can check every one is gone.

``MPCHECK_HOSTILE_PIDS`` names a folder; each process adds a file ``<pid>`` holding its role.
``MPCHECK_HOSTILE_TAG`` goes into the names of the named semaphores the scenario makes
(``/dev/shm/sem.mp-<tag>-...``), so a leak check can tell them from those of other runs on the
machine: importing this module sets it in every process of the scenario (spawn and forkserver
children re-import the main module, fork children inherit it). Unset, nothing changes.
"""

import multiprocessing
import os

PIDS_ENV = "MPCHECK_HOSTILE_PIDS"
TAG_ENV = "MPCHECK_HOSTILE_TAG"

if os.environ.get(TAG_ENV):
    multiprocessing.current_process()._config["semprefix"] = "/mp-" + os.environ[TAG_ENV]


def record(role):
    folder = os.environ.get(PIDS_ENV)
    if folder:
        with open(os.path.join(folder, str(os.getpid())), "w") as fh:
            fh.write(role)
