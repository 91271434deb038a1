"""A supervisor that learns of a dead worker from SIGCHLD (as cotyledon's master does), its workers started
with the default start method: under forkserver a worker is the fork server's child, and its end never
signals the supervisor."""

import signal
from multiprocessing import Process

dead = []


def on_sigchld(signum, frame):
    dead.append(signum)


def work():
    pass


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, on_sigchld)  # sanitize: MP119
    worker = Process(target=work)
    worker.start()
    worker.join(30)
    print("exit code", worker.exitcode, "SIGCHLD received", len(dead))
