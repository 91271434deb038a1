"""The fix for MP106: set the environment before the first child starts."""

import os
from multiprocessing import Process


def show():
    print("TOKEN =", os.environ.get("TOKEN"))


if __name__ == "__main__":
    os.environ["TOKEN"] = "set first"
    first = Process(target=show)
    first.start()
    first.join()
    second = Process(target=show)
    second.start()
    second.join()
