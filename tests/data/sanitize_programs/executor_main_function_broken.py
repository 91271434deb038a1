"""ProcessPoolExecutor.submit of a function defined in the main guard."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":

    def triple(x):  # sanitize: MP101
        return 3 * x

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as executor:
        print(executor.submit(triple, 2).result())
