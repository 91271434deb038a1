"""Value += 1 without get_lock() loses updates; with the lock around the whole update it is exact.

A ``Value`` carries a lock, but ``counter.value += 1`` takes it twice: once to read, once to write.
Two processes that both read before either writes each write ``read + 1``: one increment is lost.
The Barrier between the read and the write forces that interleaving every time, so the lost update
is certain (final value 1, not 2) under every start method. Holding ``counter.get_lock()`` around
the whole read-modify-write makes it atomic: the count is exact.
"""

from multiprocessing import Barrier, Process, Value

from mpcheck.expect import Expect
from mpcheck.facts import report

PROCESSES = 4
INCREMENTS = 100

EXPECT = Expect(
    facts={
        "racy_value": 1,
        "racy_exitcodes": [0, 0],
        "locked_value": PROCESSES * INCREMENTS,
        "locked_exitcodes": [0] * PROCESSES,
    }
)


def racy_increment(counter, barrier):
    current = counter.value  # read: takes and releases the Value's lock
    barrier.wait(timeout=30)  # both processes have read before either writes
    counter.value = current + 1  # write: what `counter.value += 1` does, split in two  # lint: MP117


def locked_increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    racy = Value("i", 0)
    barrier = Barrier(2)
    workers = [Process(target=racy_increment, args=(racy, barrier)) for _ in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=30)
    print("without the lock:", racy.value)

    locked = Value("i", 0)
    counters = [Process(target=locked_increment, args=(locked, INCREMENTS)) for _ in range(PROCESSES)]
    for p in counters:
        p.start()
    for p in counters:
        p.join(timeout=30)
    print("with get_lock():", locked.value)

    report(
        racy_value=racy.value,
        racy_exitcodes=[p.exitcode for p in workers],
        locked_value=locked.value,
        locked_exitcodes=[p.exitcode for p in counters],
    )
