"""Fixed twin of apply_async_local_function_broken.py: a module-level function takes i as an argument."""

import multiprocessing


def hello(i, j):
    print(f"hello {i} {j}")


def go(pool):
    for i in range(40):
        pool.apply_async(hello, (i, i + 1))
    pool.close()
    pool.join()


if __name__ == "__main__":
    go(multiprocessing.Pool(4))
