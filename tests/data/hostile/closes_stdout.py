"""The main process closes its stdout (the descriptor, not just sys.stdout), then uses a child."""

import os
import sys
from multiprocessing import Process, Queue

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"child_exitcode": 0, "got": 42})


def child(queue):
    record("child")
    queue.put(42)


if __name__ == "__main__":
    record("main")
    sys.stdout.flush()
    os.close(1)
    queue = Queue()
    p = Process(target=child, args=(queue,))
    p.start()
    got = queue.get(timeout=30)
    p.join()
    report(child_exitcode=p.exitcode, got=got)
