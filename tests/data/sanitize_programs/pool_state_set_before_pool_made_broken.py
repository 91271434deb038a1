"""The look-alike that differs: the global is set before the Pool is made. Fork workers hold it ([3, 6, 9]);
spawn and forkserver workers re-import the script and see None ([1, 2, 3])."""

from multiprocessing import Pool

SCALE = None


def work(x):
    return (SCALE or 1) * x


if __name__ == "__main__":
    SCALE = 3  # sanitize: MP103
    with Pool(2) as pool:
        print(pool.map(work, [1, 2, 3]))
