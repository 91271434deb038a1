"""A child reads a module global that nobody rebinds: every method sees the same value."""

from multiprocessing import Process

LIMIT = 10


def work():
    print("limit", LIMIT)


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
