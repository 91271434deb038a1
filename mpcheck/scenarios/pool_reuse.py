"""One Pool(4) serves several map calls, then close() and join(); map after close() raises ValueError.

The pool's four worker processes are started once and reused: every task of the three ``map`` calls
runs in one of at most 4 distinct worker pids, none of them the parent. Once the pool is closed it
accepts no more work: ``map`` raises ``ValueError("Pool not running")`` under every start method.
"""

import os
from multiprocessing import Pool

from mpcheck.expect import Expect, between, contains
from mpcheck.facts import error_name, report

ROWS = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]

EXPECT = Expect(
    facts={
        "results": [6, 15, 24],
        "distinct_worker_pids": between(1, 4),
        "parent_ran_no_task": True,
        "map_after_close_error": "ValueError",
        "map_after_close_message": contains("Pool not running"),
    }
)


def with_pid(x):
    return x, os.getpid()


if __name__ == "__main__":
    pool = Pool(4)
    results = []
    pids = set()
    for row in ROWS:  # a map call per row, all served by the same workers
        answers = pool.map(with_pid, row)
        results.append(sum(x for x, _ in answers))
        pids.update(pid for _, pid in answers)
    pool.close()
    pool.join()
    print(f"results {results} from {len(pids)} worker(s)")

    try:
        pool.map(with_pid, [1])
        error = None
    except ValueError as exc:
        error = exc
    report(
        results=results,
        distinct_worker_pids=len(pids),
        parent_ran_no_task=os.getpid() not in pids,
        map_after_close_error=error_name(error) if error else None,
        map_after_close_message=str(error),
    )
