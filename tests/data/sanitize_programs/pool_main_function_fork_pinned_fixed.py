"""The same Pool and executor tasks defined in the main guard, on a context the program chose to fork: fork
workers have the parent's __main__, so they find the functions by name, whatever the platform's default
(no MP101; fork exists on every platform but Windows, where this does not run them)."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":

    def square(x):
        return x * x

    if "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(2) as pool:
            print(pool.map(square, [1, 2, 3]))
        with ProcessPoolExecutor(1, mp_context=ctx) as executor:
            print(executor.submit(square, 4).result())
