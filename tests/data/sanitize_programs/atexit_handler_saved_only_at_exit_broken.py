"""coverage#879: the child registers an atexit handler that saves its data and relies on it: before 3.13 a fork or
forkserver child ends with os._exit() and never runs it (a ``finally:`` that saves something else does not help)."""

import atexit
import multiprocessing


class Coverage:
    def __init__(self):
        self.lines = []

    def save(self):
        print("saved", self.lines)

    def stop(self):
        self.lines.append("stop")


def process_startup():
    cov = Coverage()
    atexit.register(cov.save)  # sanitize: MP111
    return cov


def func():
    cov = process_startup()
    try:
        cov.lines.append("func")
    finally:
        cov.stop()


if __name__ == "__main__":
    p = multiprocessing.Process(target=func)
    p.start()
    p.join()
