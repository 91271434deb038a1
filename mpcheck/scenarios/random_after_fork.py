"""The stdlib ``random`` gives different numbers in sibling children under every start method.

A forked child starts with a copy of the parent's generator state, so without help two siblings
would draw the same "random" numbers. ``random`` reseeds its module-level generator in every forked
child (``os.register_at_fork(after_in_child=...)``, since 3.7), even when the parent seeded it;
spawn and forkserver children import ``random`` afresh and seed from the OS. Only the global
generator is reseeded: a ``random.Random`` instance of your own is copied as it is.
"""

import random
from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "siblings_differ": True,
        "children_differ_from_parent": True,
        "own_instance_siblings_equal": True,
        "exitcodes": [0, 0],
    }
)


def worker(name, rng, queue):
    queue.put((name, random.random(), rng.random()))


if __name__ == "__main__":
    random.seed(42)
    rng = random.Random(7)
    queue = Queue()
    processes = [Process(target=worker, args=(f"child-{i}", rng, queue)) for i in range(2)]
    for p in processes:
        p.start()
    drawn = {name: (a, b) for name, a, b in (queue.get(timeout=30) for _ in processes)}
    for p in processes:
        p.join()
    parent = random.random()

    first, second = drawn["child-0"], drawn["child-1"]
    print(f"parent {parent}; children {first[0]} {second[0]}; own instance {first[1]} {second[1]}")
    report(
        siblings_differ=first[0] != second[0],
        children_differ_from_parent=parent not in (first[0], second[0]),
        own_instance_siblings_equal=first[1] == second[1],
        exitcodes=[p.exitcode for p in processes],
    )
