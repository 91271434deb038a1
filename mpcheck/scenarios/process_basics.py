"""Two Processes print their pid and ppid; start both, join both.

Under fork and spawn a child's parent is the process that started it. Under forkserver the child is
forked by the fork server, so ``os.getppid()`` in the child is the server's pid, not the script's.
"""

import os
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "exitcodes": [0, 0],
        "child_pids_distinct": True,
        "ppid_is_parent": by_method(forkserver=False, default=True),
    }
)


def worker(name, queue):
    print(f"{name}: pid={os.getpid()} ppid={os.getppid()}")
    queue.put((os.getpid(), os.getppid()))


if __name__ == "__main__":
    queue = Queue()
    processes = [Process(target=worker, args=(f"worker-{i}", queue)) for i in range(2)]
    for p in processes:
        p.start()
    seen = [queue.get(timeout=30) for _ in processes]
    for p in processes:
        p.join()

    parent = os.getpid()
    pids = {pid for pid, _ in seen}
    report(
        exitcodes=[p.exitcode for p in processes],
        child_pids_distinct=len(pids) == 2 and parent not in pids and pids == {p.pid for p in processes},
        ppid_is_parent=all(ppid == parent for _, ppid in seen),
    )
