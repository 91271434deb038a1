"""``input()`` in a child raises EOFError: the child's sys.stdin is os.devnull, not the parent's stdin.

Before running the target, every child (fork, spawn and forkserver alike) closes ``sys.stdin`` and
reopens it on ``os.devnull`` (``multiprocessing.util._close_stdin`` in ``BaseProcess._bootstrap``),
so that several processes never fight over one terminal. The parent here feeds its own stdin from a
pipe holding a line: the child still reads nothing, and the line is still there for the parent.
"""

import os
import sys
from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "child_input_error": "EOFError",
        "child_read": "",
        "parent_reads": "hello from the parent's stdin",
        "exitcode": 0,
    }
)


def worker(queue):
    try:
        answer = input("name? ")
    except Exception as exc:
        queue.put((error_name(exc), sys.stdin.read()))
    else:
        queue.put((answer, None))


if __name__ == "__main__":
    # Give the parent a stdin with something in it (the harness would otherwise hand it /dev/null).
    read_end, write_end = os.pipe()
    os.write(write_end, b"hello from the parent's stdin\n")
    os.close(write_end)
    os.dup2(read_end, 0)
    os.close(read_end)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 (stays open: it is stdin)

    queue = Queue()
    p = Process(target=worker, args=(queue,))
    p.start()
    error, read = queue.get(timeout=30)
    p.join()
    parent_reads = input()
    print(f"child: {error}, read {read!r}; parent: {parent_reads!r}")
    report(child_input_error=error, child_read=read, parent_reads=parent_reads, exitcode=p.exitcode)
