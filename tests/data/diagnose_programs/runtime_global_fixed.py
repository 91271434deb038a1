"""The fix for MP103: the value travels as an argument."""

from functools import partial
from multiprocessing import Pool


def work(mode, x):
    return f"{mode}:{x}"


if __name__ == "__main__":
    with Pool(1) as pool:
        print(pool.map(partial(work, "fast"), [1, 2]))
