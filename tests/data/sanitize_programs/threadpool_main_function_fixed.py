"""ThreadPool.map of a function defined in the main guard: threads share the interpreter, nothing is pickled."""

from multiprocessing.pool import ThreadPool

if __name__ == "__main__":

    def square(x):
        return x * x

    with ThreadPool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
    with ThreadPool(2) as pool:
        print(pool.map(lambda x: -x, [1, 2, 3]))
