"""A module global set in the main block and read by Pool workers (MP103)."""

from multiprocessing import Pool

MODE = "default"


def work(x):
    return f"{MODE}:{x}"


if __name__ == "__main__":
    MODE = "fast"  # sanitize: MP103
    with Pool(1) as pool:
        print(pool.map(work, [1, 2]))
