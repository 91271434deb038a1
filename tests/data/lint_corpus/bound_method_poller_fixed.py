"""The fixed twin of bound_method_poller_broken.py: each worker builds its own poller in the child."""

import multiprocessing
import select


class Epoll:
    def __init__(self):
        self._poller = select.epoll()

    def poll(self, timeout):
        return self._poller.poll(timeout)


def _worker_loop(worker_id):
    ioloop = Epoll()
    ioloop.poll(0.01)
    print("worker", worker_id, "served")


class MultiprocessFTPServer:
    def serve_forever(self, workers=2):
        procs = [multiprocessing.Process(target=_worker_loop, args=(i,)) for i in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()


if __name__ == "__main__":
    MultiprocessFTPServer().serve_forever()
