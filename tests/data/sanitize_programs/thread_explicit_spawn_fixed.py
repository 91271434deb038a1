"""A thread runs while the program starts children through contexts it chose itself, spawn and forkserver:
neither forks this process (spawn runs a fresh interpreter, forkserver forks its own single-threaded
server), so no thread is lost and no lock stays held (issue 29: MP112 was reported on explicit spawn
starts and suggested get_context('spawn'), which the code already used)."""

import multiprocessing
import threading


def work():
    print("child")


if __name__ == "__main__":
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(30,))
    thread.start()
    for method in ("spawn", "forkserver"):
        if method in multiprocessing.get_all_start_methods():
            p = multiprocessing.get_context(method).Process(target=work)
            p.start()
            p.join()
    stop.set()
    thread.join()
