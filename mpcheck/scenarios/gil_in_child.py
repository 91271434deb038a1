"""The GIL is a per-process state: a free-threaded parent's children run without it, and PYTHON_GIL=1 set
in the parent reaches only a child that starts a fresh interpreter.

A free-threaded build (``python3.13t``, ``python3.14t``; ``--disable-gil``) runs without the GIL unless
something enables it again at start-up (``PYTHON_GIL=1``, ``-X gil=1``) or later (importing an extension
module that has not declared it can run without the GIL, with a RuntimeWarning). Each process decides
for itself, at its own start-up, and ``sys._is_gil_enabled()`` (3.13+) says what it decided.

Setting ``os.environ["PYTHON_GIL"] = "1"`` in the parent before starting a child reaches a spawn child
only: it starts a new interpreter, which reads the variable and runs with the GIL. A fork child is a
copy of the running parent and keeps its state (no GIL); a forkserver child is forked from the server,
which was started with the first child, before the variable was set, and it too runs without the GIL.
On a build with the GIL every process has it (``PYTHON_GIL=1`` is accepted there and changes nothing;
before 3.13, where ``sys._is_gil_enabled`` does not exist, the GIL is always on).
"""

import os
import sys
import sysconfig
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method, free_threaded
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "free_threaded_build": free_threaded(True, False),
        "gil_enabled": {
            "parent": free_threaded(False, True),
            "child": free_threaded(False, True),
            "child_after_python_gil_1": by_method(spawn=True, default=free_threaded(False, True)),
        },
        "exitcodes": [0, 0],
    }
)


def gil_enabled():
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else is_enabled()  # before 3.13: always


def look(queue):
    queue.put(gil_enabled())


def run_child(queue):
    p = Process(target=look, args=(queue,))
    p.start()
    enabled = queue.get(timeout=30)
    p.join(timeout=30)
    print(f"child {p.pid}: GIL enabled: {enabled}")
    return enabled, p.exitcode


if __name__ == "__main__":
    queue = Queue()
    child, first_code = run_child(queue)  # under forkserver this starts the server
    os.environ["PYTHON_GIL"] = "1"  # read at an interpreter's start-up only
    later, later_code = run_child(queue)
    report(
        free_threaded_build=bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        gil_enabled={"parent": gil_enabled(), "child": child, "child_after_python_gil_1": later},
        exitcodes=[first_code, later_code],
    )
