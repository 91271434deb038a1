"""Fixed twin of global_set_in_run_broken.py: the workers get the data through the Pool initializer."""

from multiprocessing import Pool

data = None


def init(values):
    global data
    data = values


def inner(key):
    return data[key] * 2


def run(values):
    with Pool(2, initializer=init, initargs=(values,)) as pool:
        return pool.map(inner, list(values))


if __name__ == "__main__":
    print(run({"a": 1, "b": 2}))
