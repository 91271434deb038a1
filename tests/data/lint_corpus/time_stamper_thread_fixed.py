"""Fixed twin of time_stamper_thread_broken.py: the first submit() forks the workers before the
time-stamper thread starts."""

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
    pool.submit(shard, 0).result()
    with time_stamper_thread():
        futures = [pool.submit(shard, n) for n in range(2)]
        print(sorted(f.result() for f in as_completed(futures)))
    pool.shutdown()


if __name__ == "__main__":
    main()
