"""A supervisor counts SIGCHLD and its worker checks os.getppid(): under forkserver the worker is not its child.

Supervisors learn that a worker died from SIGCHLD (cotyledon's master does), and workers watch the
process that started them through ``os.getppid()``. Under fork and spawn the started process is the
starter's own child: it reports ``os.getppid()`` equal to the pid it was handed, and its exit sends
SIGCHLD to the starter. Under forkserver the fork server forks it (``forkserver.main`` calls
``os.fork()`` for each request): its ``os.getppid()`` is the server's pid, and its SIGCHLD goes to the
server, which reaps it with ``os.waitpid(-1, WNOHANG)`` and writes the exit code back on the status
pipe; the starter never hears a SIGCHLD, and ``os.waitpid()`` on the running worker's pid raises
``ChildProcessError`` (ECHILD: not its child) where fork and spawn say it runs. ``join()`` and
``exitcode`` still work under all three (``popen_forkserver.Popen.poll`` reads the code the server
reports). Run here on CPython 3.9.18 to 3.15.2 and PyPy 7.3.11, 7.3.19 and 8.0.1 (the stdlib's
forkserver.py), all alike; on macOS, where forkserver exists too, read from CPython's source, not run.
Windows has neither forkserver nor SIGCHLD: its spawn child reports its parent, and ``os.waitpid()`` (a
process handle there) and the SIGCHLD count are not taken.

SIGCHLD is sent to the starter when its child exits, before ``waitpid()`` inside ``join()`` returns,
and the handler runs at the next bytecode: once ``join()`` has returned the count is final.
"""

import os
import signal
from multiprocessing import Pipe, Process

from mpcheck.expect import Expect, by_method, by_platform
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "worker_exitcode": 0,
        "worker_ppid_is_starter": by_method(forkserver=False, default=True),
        "waitpid_while_running": by_platform(
            win32=None, default=by_method(forkserver="ChildProcessError", default="running")
        ),
        "sigchld_received": by_platform(win32=None, default=by_method(forkserver=0, default=1)),
    }
)

sigchld_received = 0


def on_sigchld(signum, frame):
    global sigchld_received
    sigchld_received += 1


def worker(starter_pid, conn):
    conn.send(os.getppid() == starter_pid)  # lint: MP119
    conn.recv()  # runs until the starter has looked for it
    conn.close()


if __name__ == "__main__":
    posix = hasattr(signal, "SIGCHLD")
    if posix:
        signal.signal(signal.SIGCHLD, on_sigchld)  # sanitize: MP119  # lint: MP119
    here, there = Pipe()
    p = Process(target=worker, args=(os.getpid(), there))
    p.start()
    ppid_is_starter = here.recv()
    waitpid = None  # what os.waitpid() says of the worker while it runs
    if posix:
        try:
            waitpid = "running" if os.waitpid(p.pid, os.WNOHANG) == (0, 0) else "ended"  # lint: MP119
        except ChildProcessError:
            waitpid = "ChildProcessError"
    here.send("done")
    p.join(30)
    print(f"worker exit code {p.exitcode}, os.getppid() in the worker is the starter: {ppid_is_starter}")
    print(f"os.waitpid() on the running worker: {waitpid}; SIGCHLD received by the starter: {sigchld_received}")
    report(
        worker_exitcode=p.exitcode,
        worker_ppid_is_starter=ppid_is_starter,
        waitpid_while_running=waitpid,
        sigchld_received=sigchld_received if posix else None,
    )
