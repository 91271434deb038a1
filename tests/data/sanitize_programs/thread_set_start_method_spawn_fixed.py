"""A thread runs while the program starts a child under the method it set itself, spawn: nothing forks
this process, so no thread is lost and no lock stays held."""

import multiprocessing
import threading


def work():
    print("child")


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(30,))
    thread.start()
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    stop.set()
    thread.join()
