"""A server whose SIGCHLD handler reaps every ended child (websockify#101), then a daemon that ignores SIGCHLD
so that no child is left a zombie: a fork or spawn child's exit status is taken before multiprocessing waits
for it, and its exitcode stays None (MP122). Under forkserver the server reaps the children and reports them."""

import os
import signal
from multiprocessing import Process


def reap_zombies(signum, frame):
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def handle(client):
    print("served", client)


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, reap_zombies)  # sanitize: MP122
    p = Process(target=handle, args=("a",))
    p.start()
    p.join(30)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # sanitize: MP122
    q = Process(target=handle, args=("b",))
    q.start()
    q.join(30)
    print("exit codes", p.exitcode, q.exitcode)
