"""ProcessPoolExecutor's everyday use: submit, map with a chunksize, as_completed.

``submit`` returns a future per call, ``map`` yields results in the order of its inputs however the
chunks were spread over the workers, and ``as_completed`` yields every future once, in whatever order
they finish. The work runs in at most ``max_workers`` processes, none of them the parent. The same
under every start method: the executor pickles each call and its result whichever way the workers
were started.

On PyPy 7.3.10/7.3.11 under spawn and forkserver the first ``submit()`` raises ``AttributeError``
(a bug in PyPy's copy of ``concurrent/futures/process.py``, pypy/pypy#3873; see
:mod:`mpcheck.scenarios._pypy`): the scenario reports that as ``submit_error`` and nothing else.
"""

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed

from mpcheck.expect import Expect, between
from mpcheck.facts import error_name, report
from mpcheck.scenarios._pypy import SUBMIT_ERROR, when_submit_works

N = 20
WORKERS = 2

EXPECT = Expect(
    facts={
        "submit_error": SUBMIT_ERROR,
        "submit_results": when_submit_works([x * x for x in range(5)]),
        "map_results": when_submit_works([x * x for x in range(N)]),
        "as_completed_results": when_submit_works(sorted(x * x for x in range(5))),
        "distinct_worker_pids": when_submit_works(between(1, WORKERS)),
        "parent_among_workers": when_submit_works(False),
    }
)


def square(x):
    return x * x


def square_and_pid(x):
    return x * x, os.getpid()


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        try:
            futures = [executor.submit(square, x) for x in range(5)]
        except AttributeError as exc:  # PyPy 7.3.10/7.3.11, spawn and forkserver (mpcheck.scenarios._pypy)
            print(f"submit() raised {error_name(exc)}: {exc}")
            report(submit_error=f"{error_name(exc)}: {exc}")
            sys.exit(0)
        submit_results = [f.result(timeout=30) for f in futures]

        mapped = list(executor.map(square_and_pid, range(N), chunksize=3, timeout=30))

        completed = [f.result() for f in as_completed([executor.submit(square, x) for x in range(5)], timeout=30)]

    pids = {pid for _, pid in mapped}
    print(f"submit: {submit_results}; map: {[r for r, _ in mapped]}; workers: {sorted(pids)}")
    report(
        submit_error=None,
        submit_results=submit_results,
        map_results=[r for r, _ in mapped],
        as_completed_results=sorted(completed),
        distinct_worker_pids=len(pids),
        parent_among_workers=os.getpid() in pids,
    )
