"""Modelled on ThilinaRajapakse/simpletransformers#1247 and noxdafox/pebble#76: a Pool task that builds a
Pool of its own; "AssertionError: daemonic processes are not allowed to have children"."""

from multiprocessing import Pool


def square(x):
    return x * x


def convert(batch):
    with Pool(2) as inner:
        return inner.map(square, batch)


if __name__ == "__main__":
    with Pool(2) as outer:
        print(outer.map(convert, [[1, 2], [3, 4]]))  # lint: MP115
