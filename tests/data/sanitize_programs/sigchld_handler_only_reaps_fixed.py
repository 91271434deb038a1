"""websockify#101's fix: while multiprocessing runs the client handlers, the SIGCHLD handler only reaps them
through multiprocessing.active_children(). Under forkserver no SIGCHLD comes for them, and the fork server
reaps them itself: nothing is missed under any method, so nothing to report (MP119 looks alike)."""

import multiprocessing
import signal


def multiprocessing_sigchld(signum, frame):
    multiprocessing.active_children()


def handle(client):
    print("served", client)


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, multiprocessing_sigchld)
    handlers = [multiprocessing.Process(target=handle, args=(client,)) for client in ("a", "b")]
    for p in handlers:
        p.start()
    for p in handlers:
        p.join(30)
    print("exit codes", [p.exitcode for p in handlers])
