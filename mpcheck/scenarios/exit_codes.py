"""Exit codes: uncaught ValueError 1, sys.exit(3) 3, sys.exit("msg") 1, os._exit(7) 7, terminate() -SIGTERM.

``Process._bootstrap`` catches an uncaught exception, prints ``Process <name>:`` and the traceback to the
child's stderr and exits with 1; ``sys.exit(code)`` exits with ``code``, and a non-int code is written
to stderr with exit code 1. ``os._exit`` skips all that. ``terminate()`` sends SIGTERM on POSIX, so
``exitcode`` is ``-signal.SIGTERM`` (-15); on Windows it calls ``TerminateProcess`` with the code
0x10000, which ``popen_spawn_win32`` maps back to ``-signal.SIGTERM``, so it is -15 there too.

The children that write to stderr first point their file descriptor 2 at a file the parent then reads
(under forkserver a child's stderr is the fork server's, so an fd-level redirect inside the child is
what sees its output under every method). The terminated child tells the parent it is running, then
waits on an Event nobody sets, so ``terminate()`` always finds it alive.
"""

import os
import signal
import sys
import tempfile
from multiprocessing import Event, Process

from mpcheck.expect import Expect, matches
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "raise_exitcode": 1,
        "raise_stderr": matches(
            r"^Process Process-1:\nTraceback \(most recent call last\):\n[\s\S]*\nValueError: bad value\n$"
        ),
        "exit_3_exitcode": 3,
        "exit_msg_exitcode": 1,
        "exit_msg_stderr": "goodbye\n",
        "os_exit_7_exitcode": 7,
        "terminated_exitcode": -signal.SIGTERM,
    }
)


def stderr_to(path):
    """Point this process's file descriptor 2 at ``path``."""
    if sys.stderr is not None:
        sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0))
    os.dup2(fd, 2)
    os.close(fd)
    if sys.stderr is None:  # Windows: a child whose parent's stderr was not a console gets none
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115


def raise_value_error(stderr_path):
    stderr_to(stderr_path)
    raise ValueError("bad value")


def exit_3():
    sys.exit(3)


def exit_with_message(stderr_path):
    stderr_to(stderr_path)
    sys.exit("goodbye")


def os_exit_7():
    os._exit(7)


def wait_forever(running, never):
    running.set()
    never.wait(60)


def run(target, *args):
    p = Process(target=target, args=args)
    p.start()
    p.join(30)
    return p.exitcode


def read(path):
    with open(path) as fh:
        return fh.read()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        raise_stderr = os.path.join(tmp, "raise.txt")
        exit_msg_stderr = os.path.join(tmp, "exit_msg.txt")
        raise_code = run(raise_value_error, raise_stderr)
        exit_3_code = run(exit_3)
        exit_msg_code = run(exit_with_message, exit_msg_stderr)
        os_exit_code = run(os_exit_7)

        running, never = Event(), Event()
        p = Process(target=wait_forever, args=(running, never))
        p.start()
        running.wait(30)
        p.terminate()
        p.join(30)

        print(f"exit codes: {raise_code}, {exit_3_code}, {exit_msg_code}, {os_exit_code}, {p.exitcode}")
        report(
            raise_exitcode=raise_code,
            raise_stderr=read(raise_stderr),
            exit_3_exitcode=exit_3_code,
            exit_msg_exitcode=exit_msg_code,
            exit_msg_stderr=read(exit_msg_stderr),
            os_exit_7_exitcode=os_exit_code,
            terminated_exitcode=p.exitcode,
        )
