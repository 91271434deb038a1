"""os.environ changed after the first child started: later children see it under fork and spawn, not forkserver.

A forked child copies the parent's environment, a spawned one gets it at exec: both see the change.
Under forkserver every child is forked from the server, which was started with the first child and
kept the environment it had then: a variable set in the parent afterwards never reaches later
children (only what was set before the first start does). The working directory is different: it is
part of the preparation data every spawn and forkserver child applies (``os.chdir``), so
``os.getcwd()`` follows the parent under all three methods.
"""

import os
import tempfile
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "first_child": {"early": "set-before-first-start", "late": None, "cwd_is_parents": True},
        "later_child": {
            "early": "set-before-first-start",
            "late": by_method(forkserver=None, default="set-after-first-start"),
            "cwd_is_parents": True,
        },
        "exitcodes": [0, 0],
    }
)


def look(queue):
    queue.put((os.environ.get("DEMO_EARLY"), os.environ.get("DEMO_LATE"), os.getcwd()))


def run_child(queue):
    p = Process(target=look, args=(queue,))
    p.start()
    early, late, cwd = queue.get(timeout=30)
    p.join(timeout=30)
    view = {"early": early, "late": late, "cwd_is_parents": os.path.samefile(cwd, os.getcwd())}
    print(f"child {p.pid} sees {view}")
    return view, p.exitcode


if __name__ == "__main__":
    queue = Queue()
    os.environ["DEMO_EARLY"] = "set-before-first-start"
    first, first_code = run_child(queue)  # under forkserver this starts the server

    os.environ["DEMO_LATE"] = "set-after-first-start"  # sanitize: MP106  # lint: MP106
    original_dir = os.getcwd()
    with tempfile.TemporaryDirectory() as new_dir:
        os.chdir(new_dir)
        try:
            later, later_code = run_child(queue)
        finally:
            os.chdir(original_dir)

    report(first_child=first, later_child=later, exitcodes=[first_code, later_code])
