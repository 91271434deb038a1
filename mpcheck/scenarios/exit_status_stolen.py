"""A server reaps every ended child in its SIGCHLD handler, or ignores SIGCHLD: its Processes' exit codes are lost.

websockify's fallback SIGCHLD handler (issue #101) reaps zombies with ``os.waitpid(-1, os.WNOHANG)`` in a
loop; daemons set SIGCHLD to SIG_IGN so that no child is left a zombie. Under fork and spawn a Process is the
starter's own child, and multiprocessing learns how it ended by waiting for its pid (``popen_fork.Popen.poll``:
``os.waitpid(self.pid, flag)``, its ``ChildProcessError`` swallowed). The handler reaps the child first, or
the kernel discards its status where SIGCHLD is ignored: ``join()`` returns at once, ``exitcode`` stays None
and ``is_alive()`` says True. Under forkserver the child is the fork server's: the server reaps it and writes
its exit code back (``popen_forkserver.Popen.poll``), so ``exitcode`` is 0. Run here on CPython 3.9.18 to
3.15.2 and PyPy 7.3.11, 7.3.19 and 8.0.1, all alike; macOS read from CPython's source and POSIX (the same
``popen_fork.py`` and ``forkserver.py``), not run. Windows has no SIGCHLD: nothing is taken there.

Deterministic, with no timing: the handler writes a byte to a pipe each time it runs, and where the child is
the starter's own (it says so through ``os.getppid()``), the starter waits for that byte before ``join()``:
the child's SIGCHLD has come and been handled. Under forkserver no SIGCHLD comes for it, and its sentinel
is ready only once the server has written its exit code. With SIGCHLD ignored, ``join()`` itself waits for
the child's end (``os.waitpid(pid, 0)``) and finds its status gone. The handler is MP119's too: under forkserver
it never runs for the child, which this file is written to expect.
"""

import os
import signal
from multiprocessing import Pipe, Process
from multiprocessing.connection import wait

from mpcheck.expect import Expect, by_method, by_platform
from mpcheck.facts import report

LOST = by_platform(win32=None, default=by_method(forkserver=False, default=True))
EXPECT = Expect(
    facts={
        "exitcode_after_handler": by_platform(win32=None, default=by_method(forkserver=0, default=None)),
        "alive_after_handler": LOST,
        "reaped_by_handler": LOST,
        "exitcode_with_sigchld_ignored": by_platform(win32=None, default=by_method(forkserver=0, default=None)),
        "alive_with_sigchld_ignored": LOST,
    }
)

reaped = []
handled_r, handled_w = os.pipe()


def reap_children(signum, frame):  # websockify's fallback_SIGCHLD: no zombie left behind
    try:
        while True:
            pid, _status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                break
            reaped.append(pid)
    except ChildProcessError:
        pass
    os.write(handled_w, b".")


def handle_client(conn):
    conn.send(os.getppid())
    conn.close()


def serve_one():
    """Start a client handler and wait for its end; True where it is this process's own child."""
    here, there = Pipe()
    p = Process(target=handle_client, args=(there,))
    p.start()
    own_child = here.recv() == os.getpid()
    wait([p.sentinel])
    return p, own_child


if __name__ == "__main__":
    if hasattr(signal, "SIGCHLD"):
        signal.signal(signal.SIGCHLD, reap_children)  # sanitize: MP122, MP119  # lint: MP119, MP122
        p, own_child = serve_one()
        if own_child:
            wait([handled_r])  # its SIGCHLD came and the handler ran
        p.join()
        print(f"after the handler: exit code {p.exitcode}, alive {p.is_alive()}, reaped by it {p.pid in reaped}")

        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # sanitize: MP122  # lint: MP122
        q, _ = serve_one()
        q.join()
        print(f"with SIGCHLD ignored: exit code {q.exitcode}, alive {q.is_alive()}")
        report(
            exitcode_after_handler=p.exitcode,
            alive_after_handler=p.is_alive(),
            reaped_by_handler=p.pid in reaped,
            exitcode_with_sigchld_ignored=q.exitcode,
            alive_with_sigchld_ignored=q.is_alive(),
        )
    else:
        print("no SIGCHLD here: nothing but a Process reaps its child")
        report(
            exitcode_after_handler=None,
            alive_after_handler=None,
            reaped_by_handler=None,
            exitcode_with_sigchld_ignored=None,
            alive_with_sigchld_ignored=None,
        )
