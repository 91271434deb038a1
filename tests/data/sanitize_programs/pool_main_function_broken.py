"""Pool.map of a function defined in the main guard: a spawn worker re-imports the script and cannot find it
(and the Pool waits for ever for the lost task: the program runs its workers by fork)."""

import multiprocessing

if __name__ == "__main__":

    def square(x):  # sanitize: MP101
        return x * x

    with multiprocessing.get_context("fork").Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
