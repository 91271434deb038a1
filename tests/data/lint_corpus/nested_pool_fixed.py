"""Fixed twin of nested_pool_broken.py: the task computes directly; only the parent has a Pool."""

from multiprocessing import Pool


def square(x):
    return x * x


def convert(batch):
    return [square(x) for x in batch]


if __name__ == "__main__":
    with Pool(2) as outer:
        print(outer.map(convert, [[1, 2], [3, 4]]))
