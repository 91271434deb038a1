"""``input()`` in a child raises EOFError: the child's sys.stdin is os.devnull, not the parent's stdin.

Before running the target, every child (fork, spawn and forkserver alike) closes ``sys.stdin`` and
reopens it on ``os.devnull`` (``multiprocessing.util._close_stdin`` in ``BaseProcess._bootstrap``:
``util.py``:410-427 and ``process.py``:299 in 3.9.18 to 3.12.1, ``util.py``:402-419 in 3.13.0), so
that several processes never fight over one terminal. The parent here feeds its own stdin from a pipe
holding a line: the child still reads nothing, and the line is still there for the parent.

``_close_stdin`` returns at once when ``sys.stdin`` is None (``util.py``:411-412 in 3.9.18). A Windows
spawn child is created with ``bInheritHandles=False`` and no standard handles in its STARTUPINFO
(``popen_spawn_win32.py``:75-77 in 3.11.7), so whether it has any stdin is Windows' rule, not
CPython's: with one, it is reopened on ``os.devnull`` as everywhere; with none, ``sys.stdin`` stays
None and ``input()`` raises ``RuntimeError`` ("input(): lost sys.stdin"). On win32 either is expected;
what the child saw comes back through a Pipe, and the parent waits for the message or the child's end,
whichever comes first, so a child that dies is a fact, not a timeout.
"""

import os
import sys
from multiprocessing import Pipe, Process
from multiprocessing.connection import wait

from mpcheck.expect import Expect, by_platform, one_of
from mpcheck.facts import error_name, report

#: what the child saw: its stdin reopened on os.devnull (reads nothing), or no stdin at all (Windows only)
ON_DEVNULL = {"stdin": "open", "input_error": "EOFError", "read": ""}
NO_STDIN = {"stdin": None, "input_error": "RuntimeError", "read": None}

EXPECT = Expect(
    facts={
        # win32: whether a spawn child has a stdin at all is Windows' rule (see the docstring)
        "child_stdin": by_platform(win32=one_of(ON_DEVNULL, NO_STDIN), default=ON_DEVNULL),
        "parent_reads": "hello from the parent's stdin",
        "exitcode": 0,
    }
)


def worker(conn):
    seen = {"stdin": None if sys.stdin is None else "open"}
    try:
        answer = input("name? ")
    except Exception as exc:
        seen["input_error"] = error_name(exc)
    else:
        seen["input_error"] = None
        seen["answer"] = answer
    seen["read"] = None if sys.stdin is None else sys.stdin.read()
    conn.send(seen)
    conn.close()


if __name__ == "__main__":
    # Give the parent a stdin with something in it (the harness would otherwise hand it /dev/null).
    read_end, write_end = os.pipe()
    os.write(write_end, b"hello from the parent's stdin\n")
    os.close(write_end)
    os.dup2(read_end, 0)
    os.close(read_end)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 (stays open: it is stdin)

    receiver, sender = Pipe(duplex=False)
    p = Process(target=worker, args=(sender,))
    p.start()
    sender.close()
    wait([receiver, p.sentinel])  # the child's answer, or its end without one: no timeout decides
    try:
        seen = receiver.recv() if receiver.poll() else None
    except (EOFError, OSError):  # the child ended without sending: the pipe's end, not a message
        seen = None
    p.join()
    parent_reads = input()
    print(f"child saw: {seen}; exit code {p.exitcode}; parent: {parent_reads!r}")
    report(child_stdin=seen, parent_reads=parent_reads, exitcode=p.exitcode)
