"""The same target started twice: between the starts, the main guard points a global at another function,
which reads a global rebound at run time. The second start's child reads it (what the first start's
child read is no answer for the second)."""

from multiprocessing import Process

LIMIT = 10


def plain():
    return 1


def limited():
    return LIMIT


step = plain


def work():
    print("step", step())


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    step = limited
    LIMIT = 99  # sanitize: MP103
    p = Process(target=work)
    p.start()
    p.join()
