"""The environment is set before the first process starts: every method's children see it."""

import os
from multiprocessing import Process


def work():
    print(os.environ["APP_MODE"])


if __name__ == "__main__":
    os.environ["APP_MODE"] = "batch"
    for _ in range(2):
        p = Process(target=work)
        p.start()
        p.join()
