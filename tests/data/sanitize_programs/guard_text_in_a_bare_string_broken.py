"""A start at import time, in a block whose bare string (which the compiler drops) holds a main guard's text
at column 0: no guard runs it (the text of the file alone must not be taken for one)."""

from multiprocessing import Process


def work():
    print("working")


if True:
    """
if __name__ == "__main__":
    """
    p = Process(target=work)
    p.start()  # sanitize: MP102
    p.join()
    print("child exit code", p.exitcode)
