"""The main guard sets the global after the Pool is made, then sends tasks that read it. A Pool forks its
workers when it is made: under fork they hold the parent's state as it was then, and miss the late value as
a spawn or forkserver worker does. Every method prints [1, 2, 3]: nothing differs between them."""

from multiprocessing import Pool

SCALE = None


def work(x):
    return (SCALE or 1) * x


if __name__ == "__main__":
    with Pool(2) as pool:
        SCALE = 3
        print(pool.map(work, [1, 2, 3]))
