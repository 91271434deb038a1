"""A child reads a module global the main block changed: only a forked child sees the change."""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect, at_least, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "child_sees": by_method(fork="main", default="import"),
        "child_pid_digits": at_least(1),
    }
)

STATE = "import"


def child(queue):
    import os

    queue.put((STATE, len(str(os.getpid()))))


if __name__ == "__main__":
    STATE = "main"
    queue = Queue()
    p = Process(target=child, args=(queue,))
    p.start()
    seen, digits = queue.get(timeout=30)
    p.join()
    report(child_sees=seen, child_pid_digits=digits)
