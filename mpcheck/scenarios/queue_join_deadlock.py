"""A child puts an item larger than the pipe buffer on a Queue: joining it before draining deadlocks.

A process that has put items on a Queue does not exit until its feeder thread has written them all
into the pipe (the documented "joining processes that use queues" pitfall). One item of 1 MiB does
not fit in the pipe buffer, so the child cannot finish until the parent reads: ``join(timeout)``
returns with the child still alive, and a plain ``join()`` would hang forever. Draining the queue
first, then joining, works. The same under every start method.
"""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import report

SIZE = 1024 * 1024  # far more than a pipe holds (64 KiB on Linux, 16 KiB or less on macOS)

EXPECT = Expect(
    facts={
        "alive_after_join_timeout": True,
        "exitcode_after_join_timeout": None,
        "received_bytes": SIZE,
        "alive_after_drain_and_join": False,
        "exitcode": 0,
    }
)


def producer(queue):
    queue.put(b"x" * SIZE)


if __name__ == "__main__":
    queue = Queue()
    p = Process(target=producer, args=(queue,))
    p.start()

    p.join(timeout=0.5)  # the deadlock: the child waits for us to read, we wait for it to exit
    stuck = p.is_alive(), p.exitcode
    print("after join(timeout=0.5): alive =", stuck[0])

    item = queue.get(timeout=30)  # the fix: drain first...
    p.join(timeout=30)  # ...then join
    report(
        alive_after_join_timeout=stuck[0],
        exitcode_after_join_timeout=stuck[1],
        received_bytes=len(item),
        alive_after_drain_and_join=p.is_alive(),
        exitcode=p.exitcode,
    )
