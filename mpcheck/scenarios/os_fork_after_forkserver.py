"""``os.fork()`` after the fork server started: the forked helper cannot start processes under forkserver.

The first ``start()`` under forkserver launches the fork server and remembers its pid; before each
later start, multiprocessing checks the server is still alive with ``os.waitpid(server_pid,
WNOHANG)``. A helper made with a raw ``os.fork()`` inherits that state, but the server is its
sibling, not its child: the check raises ``ChildProcessError`` ([Errno 10] ECHILD) and the helper's
``start()`` fails. Under fork and spawn the helper starts its own child normally. Same from 3.9 to
3.15.2: the check is unchanged.

Reports: a process made by ``os.fork()`` inherits multiprocessing's state about processes it does
not own, as in benoitc/gunicorn#1570 (gunicorn's ``os.fork()``ed workers acting on a Process their
arbiter started); the fork server's side of it is cpython#86354 (open: a child cannot use its
parent's fork server and starts its own). No public report of this exact ``ChildProcessError`` was
found; the scenario is the spec's.
"""

import errno
import os
from multiprocessing import Process

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "first_child_exitcode": 0,
        "helper_start_error": by_method(forkserver="ChildProcessError", default=None),
        "helper_start_errno_is_echild": by_method(forkserver=True, default=None),
        "helper_child_exitcode": by_method(forkserver=None, default=0),
        "helper_exit_status": 0,
    },
    requires=("fork",),  # os.fork(): not on Windows
)


def work():
    pass


def helper(report_fd):
    """What the os.fork()ed helper does: start a Process, say how it went, and exit."""
    p = Process(target=work)
    try:
        p.start()
    except OSError as exc:
        line = f"{type(exc).__name__} {exc.errno} -"
    else:
        p.join(30)
        line = f"- - {p.exitcode}"
    os.write(report_fd, line.encode())


if __name__ == "__main__":
    first = Process(target=work)
    first.start()  # under forkserver this starts the fork server
    first.join(30)

    read_fd, write_fd = os.pipe()
    pid = os.fork()  # sanitize: MP109  # lint: MP109
    if pid == 0:  # the helper
        os.close(read_fd)
        try:
            helper(write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        error, code, exitcode = fh.read().split()
    _, status = os.waitpid(pid, 0)
    print(f"helper: start() error {error}, errno {code}, child exit code {exitcode}")

    report(
        first_child_exitcode=first.exitcode,
        helper_start_error=None if error == "-" else error,
        helper_start_errno_is_echild=None if code == "-" else int(code) == errno.ECHILD,
        helper_child_exitcode=None if exitcode == "-" else int(exitcode),
        helper_exit_status=os.waitstatus_to_exitcode(status),
    )
