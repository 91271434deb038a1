"""websockify#101's fix: the SIGCHLD handler lets multiprocessing reap its own children (active_children()
joins the Processes that ended, keeping their exit codes). SIGCHLD ignored where the only child is a
forkserver context's: the fork server's child, which the server reaps and reports. Nothing is lost."""

import multiprocessing
import signal


def reap(signum, frame):
    multiprocessing.active_children()


def handle(client):
    print("served", client)


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, reap)
    p = multiprocessing.Process(target=handle, args=("a",))
    p.start()
    p.join(30)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    q = multiprocessing.get_context("forkserver").Process(target=handle, args=("b",))
    q.start()
    q.join(30)
    print("exit codes", p.exitcode, q.exitcode)
