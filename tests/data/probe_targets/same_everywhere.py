"""A job that behaves the same under every start method: Pool workers square numbers."""

from multiprocessing import Pool


def square(x):
    return x * x


def main(n):
    with Pool(2) as pool:
        return pool.map(square, range(n))
