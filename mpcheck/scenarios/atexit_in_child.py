"""An ``atexit`` handler registered inside a child: runs under spawn always, under fork/forkserver from 3.13.

A spawn child is a fresh interpreter that returns from its main function and finalizes normally, so
its atexit handlers run. A forked child (fork, and forkserver, whose children are forked from the
server) used to end with ``os._exit()`` right after the target returned, skipping atexit. 3.13 runs
the child's atexit handlers before ``os._exit()`` (gh-83856, ``util._exit_function`` ->
``atexit._run_exitfuncs()``). The handler here writes to a file, since by then the child can no
longer rely on queues.
"""

import atexit
import os
import tempfile
from multiprocessing import Process

from mpcheck.expect import Expect, by_method, when
from mpcheck.facts import report
from mpcheck.methods import CHILDREN_RUN_ATEXIT

EXPECT = Expect(
    facts={
        "handler_ran": by_method(spawn=True, default=when(CHILDREN_RUN_ATEXIT, True, False)),
        "target_ran": True,
        "exitcode": 0,
    }
)


def goodbye(path):
    with open(path, "a") as fh:
        fh.write("atexit\n")


def worker(path):
    atexit.register(goodbye, path)  # sanitize: MP111  # lint: MP111
    with open(path, "a") as fh:
        fh.write("target\n")


if __name__ == "__main__":
    fd, path = tempfile.mkstemp(prefix="atexit-child-")
    os.close(fd)
    try:
        p = Process(target=worker, args=(path,))
        p.start()
        p.join()
        with open(path) as fh:
            lines = fh.read().split()
    finally:
        os.unlink(path)
    print(f"child wrote {lines}")
    report(handler_ran="atexit" in lines, target_ran="target" in lines, exitcode=p.exitcode)
