"""A random generator made at import, drawn from by each child: under fork every sibling draws the same numbers.

A common shape (ChineseCheckersAgent#47's identical self-play games, gunpowder's and pints' "random"
augmentations that repeat in every worker): the program keeps a generator at module level, seeded
from the OS once, and its workers draw from it. A fork child is a copy of the parent, the
generator's state included, so two siblings forked from the same state draw the same sequence.
The standard library reseeds only the ``random`` module's own functions in a fork child
(``random_after_fork``); a ``random.Random()`` of the program's is copied as it is, and so is numpy's
global generator behind ``np.random.rand()`` (numpy does not reseed after a fork).

A spawn child imports the script afresh as ``__mp_main__`` and seeds a new generator from the OS:
siblings differ. A forkserver child does too, unless its fork server preloaded the script (3.13.8+,
3.14.1+): the server ran the script's top-level code once, and every child forked from it has that one
generator's state, so siblings match again.

The fix beside it: the child reseeds its generator itself (``reseeded.seed()``, from the OS) before it
draws, as a Pool initializer calling ``np.random.seed()`` would. The draws are compared, not timed:
equal exactly when the two children started from one state (two independent seeds from the OS give
the same 53-bit float with probability 2**-53). Run here on CPython 3.9.18 to 3.15.2 and PyPy; macOS
and Windows read from CPython's source, not run.
"""

import random
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method, server_preloads_main
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "siblings_draw_the_same": by_method(fork=True, spawn=False, forkserver=server_preloads_main(True, False)),
        "reseeded_siblings_draw_the_same": False,
        "exitcodes": [0, 0, 0, 0],
    }
)

rng = random.Random()  # seeded from the OS, once, at import  # sanitize: MP121  # lint: MP121
reseeded = random.Random()  # the same, but each child reseeds it before drawing


def draw(i, queue):
    queue.put((("draw", i), rng.random()))  # the pitfall: the state the child was given


def draw_reseeded(i, queue):
    reseeded.seed()  # the fix: a seed of the child's own, from the OS
    queue.put((("draw_reseeded", i), reseeded.random()))


if __name__ == "__main__":
    queue = Queue()
    processes = [Process(target=draw, args=(i, queue)) for i in range(2)]
    processes += [Process(target=draw_reseeded, args=(i, queue)) for i in range(2)]
    for p in processes:
        p.start()
    drawn = dict(queue.get(timeout=30) for _ in processes)
    for p in processes:
        p.join()
    same = drawn[("draw", 0)] == drawn[("draw", 1)]
    reseeded_same = drawn[("draw_reseeded", 0)] == drawn[("draw_reseeded", 1)]
    print(f"siblings drew {drawn[('draw', 0)]} and {drawn[('draw', 1)]}; reseeded siblings differ: {not reseeded_same}")

    report(
        siblings_draw_the_same=same,
        reseeded_siblings_draw_the_same=reseeded_same,
        exitcodes=[p.exitcode for p in processes],
    )
