"""coverage#879's fix: the child registers an atexit handler that saves its data (a fork child before 3.13 never
runs it) and calls the same save in a ``finally:`` before it returns: nothing is lost under any method, so the
registration is no hazard."""

import atexit
import multiprocessing


class Coverage:
    def __init__(self):
        self.lines = []

    def save(self):
        print("saved", self.lines)


def process_startup():
    cov = Coverage()
    atexit.register(cov.save)
    return cov


def func():
    cov = process_startup()
    try:
        cov.lines.append("func")
    finally:
        cov.save()


if __name__ == "__main__":
    p = multiprocessing.Process(target=func)
    p.start()
    p.join()
