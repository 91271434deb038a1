"""An atexit handler registered in the child (MP111): fork and forkserver children skip it before 3.13."""

import atexit
from multiprocessing import Process


def goodbye():
    print("child cleaned up", flush=True)


def work():
    atexit.register(goodbye)  # sanitize: MP111


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
