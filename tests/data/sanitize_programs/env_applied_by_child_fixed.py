"""The parent sets an environment variable after its first process started, and hands its environment to
the later child, which applies it before it reads: a forkserver child starts from the server's older
environment, but it reads the value it set itself (issue 29: MP106 was reported on the read)."""

import multiprocessing
import os


def work(env):
    os.environ.update(env)
    print(os.environ["MODE"])


if __name__ == "__main__":
    first = multiprocessing.Process(target=work, args=(dict(os.environ, MODE="slow"),))
    first.start()
    first.join()
    os.environ["MODE"] = "fast"
    later = multiprocessing.Process(target=work, args=(dict(os.environ),))
    later.start()
    later.join()
    assert first.exitcode == later.exitcode == 0
