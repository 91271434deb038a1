"""Fixed twin of main_block_function_broken.py: the task is a module-level function."""

from multiprocessing import Pool


def get_dist(pair):
    a, b = pair
    return abs(a - b)


if __name__ == "__main__":
    pairs = [(1, 5), (2, 9)]
    with Pool(4) as pool:
        print(pool.map(get_dist, pairs))
