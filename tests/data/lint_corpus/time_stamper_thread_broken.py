"""Modelled on Cython 3.3.1's runtests.py: the executor is made before a time-stamper thread "to avoid
forking issues", but it forks its workers at the first submit(), inside the thread's ``with`` block (3.12
warns at each fork that the process is multi-threaded). The executor is imported inside the function."""

import contextlib
import threading
import time


@contextlib.contextmanager
def time_stamper_thread(interval=0.05):
    if not interval:
        yield
        return
    stop = False

    def time_stamper():
        while not stop:
            time.sleep(interval)

    thread = threading.Thread(target=time_stamper, name="time_stamper", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop = True
        thread.join()


def shard(n):
    return n


def main():
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(2)
    with time_stamper_thread():
        futures = [pool.submit(shard, n) for n in range(2)]
        print(sorted(f.result() for f in as_completed(futures)))
    pool.shutdown()


if __name__ == "__main__":
    main()  # lint: MP112
