"""Two Processes report their parent's pid; start both, join both.

Under forkserver the children are forked by the fork server, so their ppid is the server's pid.
"""

import os
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "exitcodes": [0, 0],
        "ppid_is_parent": by_method(forkserver=[False, False], default=[True, True]),
    }
)


def worker(queue):
    queue.put(os.getppid())


if __name__ == "__main__":
    queue = Queue()
    children = [Process(target=worker, args=(queue,)) for _ in range(2)]
    for p in children:
        p.start()
    ppids = [queue.get(timeout=30) for _ in children]
    for p in children:
        p.join()
    report(exitcodes=[p.exitcode for p in children], ppid_is_parent=[ppid == os.getpid() for ppid in ppids])
