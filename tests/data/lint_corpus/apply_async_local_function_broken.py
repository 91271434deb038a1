"""Modelled on python/cpython#96464: apply_async() of a function defined in a loop inside go(), with the
pool created at import time."""

import multiprocessing

pool = multiprocessing.Pool(4)  # lint: MP102


def go():
    for i in range(40):

        def hello(j):
            print(f"hello {i} {j}")

        pool.apply_async(hello, (i + 1,))  # lint: MP101
    pool.close()
    pool.join()


go()
