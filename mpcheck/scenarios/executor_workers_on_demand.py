"""How many worker processes ``ProcessPoolExecutor(4)`` has after one task: 4 under fork, 1 otherwise.

Since 3.9 the executor starts workers on demand, one per submit while none is idle (bpo-39207).
Under fork that meant forking from a process whose executor-manager thread was already running, which
can deadlock the child; so with a fork context the executor now starts all ``max_workers`` processes
up front, at the first submit, before its thread starts (gh-90622, GH-91598: 3.11.0, backported to
3.10.5 (GH-92497) and 3.9.13). Under spawn and forkserver the children are fresh interpreters and
workers are still started on demand: one task, one worker. Before 3.9.13 / 3.10.5 fork was on demand
too (not runnable here: reasoned from those changelogs).

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, by_method, when
from mpcheck.facts import error_name, report
from mpcheck.methods import FORK_WORKERS_UP_FRONT
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

MAX_WORKERS = 4
# gh-90622: fork starts every worker up front from 3.9.13 and 3.10.5 (so 3.11.0 on); on demand before.
FORK_WORKERS = when(FORK_WORKERS_UP_FRONT, MAX_WORKERS, 1)

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "result": when_submit_works(42),
        "worker_processes": when_submit_works(by_method(fork=FORK_WORKERS, default=1)),
    }
)


def answer():
    return 42, os.getpid()


if __name__ == "__main__":
    with ProcessPoolExecutor(MAX_WORKERS) as executor:
        try:
            future = executor.submit(answer)
        except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
            print(f"submit() raised {error_name(exc)}: {exc}")
            report(submit_error=f"{error_name(exc)}: {exc}")
            sys.exit(0)
        result, worker = future.result(timeout=30)
        alive = multiprocessing.active_children()
        print(f"one task done by {worker}; worker processes now: {sorted(p.pid for p in alive)}")
    report(submit_error=None, result=result, worker_processes=len(alive))
