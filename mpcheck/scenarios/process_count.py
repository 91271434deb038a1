"""Pool(min(os.cpu_count(), 8)) runs its tasks in at most that many distinct worker processes.

The tutorial sizes the pool from the CPU count. However many tasks are mapped, they run in at most
``pool_size`` distinct worker pids (at least one). To show that the pool really holds ``pool_size``
processes, a second map sends exactly ``pool_size`` tasks that each wait on a Barrier of
``pool_size`` parties: no worker can take a second task while it waits, so every worker must take
one and the tasks run in exactly ``pool_size`` distinct pids. The bound and the count depend on the
machine's CPU count, so they are reported as comparisons with the pool size.
"""

import os
from multiprocessing import Barrier, Pool

from mpcheck.expect import Expect, between
from mpcheck.facts import report

TASKS = 100

EXPECT = Expect(
    facts={
        "distinct_pids": between(1, 8),
        "distinct_pids_within_pool_size": True,
        "results_in_order": True,
        "barrier_tasks_used_every_worker": True,
    }
)

barrier = None


def remember_barrier(shared_barrier):
    global barrier
    barrier = shared_barrier


def square(x):
    return x * x, os.getpid()


def meet_the_others(_):
    barrier.wait(timeout=30)
    return os.getpid()


if __name__ == "__main__":
    pool_size = min(os.cpu_count(), 8)
    with Pool(pool_size, initializer=remember_barrier, initargs=(Barrier(pool_size),)) as pool:
        answers = pool.map(square, range(TASKS))
        all_at_once = pool.map(meet_the_others, range(pool_size), chunksize=1)
    pids = {pid for _, pid in answers}
    print(f"pool of {pool_size}: {TASKS} tasks ran in {len(pids)} process(es)")

    report(
        distinct_pids=len(pids),
        distinct_pids_within_pool_size=1 <= len(pids) <= pool_size,
        results_in_order=[x for x, _ in answers] == [x * x for x in range(TASKS)],
        barrier_tasks_used_every_worker=len(set(all_at_once)) == pool_size,
    )
