"""A registry filled by a decorator at import time: a spawn child's import fills it the same way."""

from multiprocessing import Process

HANDLERS = {}


def handler(name):
    def register(func):
        HANDLERS[name] = func
        return func

    return register


@handler("greet")
def greet():
    return "hello"


def work():
    print(sorted(HANDLERS), HANDLERS["greet"]())


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
