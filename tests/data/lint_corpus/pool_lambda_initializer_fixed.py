"""Fixed twin of pool_lambda_initializer_broken.py: a module-level initializer, started under the guard."""

import multiprocessing


def init():
    pass


if __name__ == "__main__":
    with multiprocessing.Pool(None, init) as pool:
        print(pool.map(abs, [-1, -2]))
