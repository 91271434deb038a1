"""Modelled on CAHLR/pyBKT#11 and WikiExtractor/wikiextractor#107: run() stores the input in a global that
the workers read; on Windows and macOS (spawn) the workers see None."""

from multiprocessing import Pool

data = None


def inner(key):
    return data[key] * 2


def run(values):
    global data
    data = values
    with Pool(2) as pool:
        return pool.map(inner, list(values))


if __name__ == "__main__":
    print(run({"a": 1, "b": 2}))  # lint: MP103
