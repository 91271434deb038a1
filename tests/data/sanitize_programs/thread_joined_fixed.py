"""A thread that ended before the process starts: nothing runs beside the fork."""

import threading
from multiprocessing import Process


def work():
    print("child")


if __name__ == "__main__":
    t = threading.Thread(target=print, args=("thread",))
    t.start()
    t.join()
    p = Process(target=work)
    p.start()
    p.join()
