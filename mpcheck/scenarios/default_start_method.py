"""The start method a fresh interpreter uses when the program never chooses one.

Linux defaults to fork up to 3.13 and to forkserver from 3.14 (gh-84559); macOS defaults to spawn
since 3.8 (fork is unsafe with the system frameworks, bpo-33725); Windows has only spawn. Nothing
is chosen until first use: ``get_start_method(allow_none=True)`` is None in a fresh interpreter.
A child started with the default method reports the same method. The answer does not depend on
the cell's method, so every cell asserts the same facts.
"""

import multiprocessing
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, default_start_method
from mpcheck.facts import report

# The default per platform and Python, from mpcheck.methods (where the versions above are written once).
DEFAULT = default_start_method()

EXPECT = Expect(
    facts={
        "chosen_before_use": None,
        "default": DEFAULT,
        "child_sees": DEFAULT,
        "exitcode": 0,
    },
    set_method=False,
)


def worker(queue):
    queue.put(multiprocessing.get_start_method())


if __name__ == "__main__":
    chosen = multiprocessing.get_start_method(allow_none=True)
    default = multiprocessing.get_start_method()
    print(f"default start method: {default} (available: {multiprocessing.get_all_start_methods()})")

    queue = Queue()
    p = Process(target=worker, args=(queue,))
    p.start()
    child_sees = queue.get(timeout=30)
    p.join()
    report(chosen_before_use=chosen, default=default, child_sees=child_sees, exitcode=p.exitcode)
