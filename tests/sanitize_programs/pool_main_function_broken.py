"""Pool.map of a function defined in the main guard: a spawn worker re-imports the script and cannot find it."""

from multiprocessing import Pool

if __name__ == "__main__":

    def square(x):  # sanitize: MP101
        return x * x

    with Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
