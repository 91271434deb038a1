"""The fix for the global counter: a shared Value('i', 0) incremented under value.get_lock().

The Value lives in shared memory handed to every child, and ``get_lock()`` is the Value's own lock,
shared with it, so ``counter.value += 1`` (a read then a write) is never interleaved: the parent reads
exactly processes × increments under every start method.
"""

from multiprocessing import Process, Value

from mpcheck.expect import Expect
from mpcheck.facts import report

PROCESSES = 4
INCREMENTS = 1000

EXPECT = Expect(
    facts={
        "counter": PROCESSES * INCREMENTS,
        "exitcodes": [0] * PROCESSES,
    }
)


def increment(counter):
    for _ in range(INCREMENTS):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    processes = [Process(target=increment, args=(counter,)) for _ in range(PROCESSES)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(f"counter = {counter.value}")

    report(counter=counter.value, exitcodes=[p.exitcode for p in processes])
