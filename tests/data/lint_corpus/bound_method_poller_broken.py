"""A server whose worker processes run a bound method of the server, which keeps an epoll poller two objects
down (giampaolo/pyftpdlib#656, the 3.14 forkserver default: "cannot pickle 'select.epoll' object"). Rebuilt
for the held-out evaluation of the fifteenth corpus; MP108 on the start."""

import multiprocessing
import select


class Epoll:
    def __init__(self):
        self._poller = select.epoll()

    def poll(self, timeout):
        return self._poller.poll(timeout)


class MultiprocessFTPServer:
    def __init__(self):
        self.ioloop = Epoll()

    def _loop(self, worker_id):
        self.ioloop.poll(0.01)
        print("worker", worker_id, "served")

    def serve_forever(self, workers=2):
        procs = [multiprocessing.Process(target=self._loop, args=(i,)) for i in range(workers)]  # lint: MP108
        for p in procs:
            p.start()
        for p in procs:
            p.join()


if __name__ == "__main__":
    MultiprocessFTPServer().serve_forever()
