"""A threading.Lock handed to a Process: a fork child gets a copy, spawn cannot pickle it."""

import threading
from multiprocessing import Process


def work(lock):
    with lock:
        print("child")


if __name__ == "__main__":
    p = Process(target=work, args=(threading.Lock(),))
    p.start()  # sanitize: MP108
    p.join()
