"""os.environ changed after the first child started (MP106): forkserver children miss it."""

import os
from multiprocessing import Process


def show():
    print("TOKEN =", os.environ.get("TOKEN"))


if __name__ == "__main__":
    first = Process(target=show)
    first.start()
    first.join()
    os.environ["TOKEN"] = "set later"  # sanitize: MP106
    second = Process(target=show)
    second.start()
    second.join()
