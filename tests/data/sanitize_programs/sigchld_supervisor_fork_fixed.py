"""The same SIGCHLD supervisor, its workers started by a fork context it chose: a fork child is the
supervisor's own, so its end signals the supervisor under every default start method."""

import signal
from multiprocessing import get_context

dead = []


def on_sigchld(signum, frame):
    dead.append(signum)


def work():
    pass


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, on_sigchld)
    worker = get_context("fork").Process(target=work)
    worker.start()
    worker.join(30)
    assert worker.exitcode == 0 and dead, dead
    print("exit code", worker.exitcode, "SIGCHLD received", len(dead))
