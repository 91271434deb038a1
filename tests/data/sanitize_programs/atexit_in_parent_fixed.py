"""An atexit handler registered by the parent only: every method runs it at the parent's exit."""

import atexit
from multiprocessing import Process


def work():
    print("child")


if __name__ == "__main__":
    atexit.register(print, "parent done")
    p = Process(target=work)
    p.start()
    p.join()
