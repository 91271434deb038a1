"""The documented Queue deadlock: join a child before draining the big item it put: a timeout."""

from multiprocessing import Process, Queue

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"received": 1 << 20})
SIZE = 1 << 20  # far more than a pipe holds: the child's feeder thread blocks until someone reads


def producer(queue):
    record("child")
    queue.put(b"x" * SIZE)


if __name__ == "__main__":
    record("main")
    queue = Queue()
    child = Process(target=producer, args=(queue,))
    child.start()
    child.join()  # never returns: the child cannot exit before its item is read
    report(received=len(queue.get()))
