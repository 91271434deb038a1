"""configure() rebinds a global at run time (called from the main guard); the child reads it."""

from multiprocessing import Process

LIMIT = 10


def configure(limit):
    global LIMIT
    LIMIT = limit  # sanitize: MP103


def work():
    print("limit", LIMIT)


if __name__ == "__main__":
    configure(99)
    p = Process(target=work)
    p.start()
    p.join()
