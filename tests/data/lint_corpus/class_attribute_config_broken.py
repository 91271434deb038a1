"""Modelled on noxdafox/pebble#71: a class attribute set by the main script before the pool runs; True under
fork (Linux), False on Windows."""

from multiprocessing import Pool


class Config:
    some_var = False


def function(n):
    return Config.some_var


if __name__ == "__main__":
    Config.some_var = True  # lint: MP103
    with Pool(2) as pool:
        print(pool.map(function, range(2)))
