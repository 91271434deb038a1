"""The fixed twin of join_after_one_get_broken.py: everything the child put is taken before the join."""

import os
from multiprocessing import Process, Queue

N = 10000


def f(q):
    for _ in range(N):
        q.put([42, None, "hello"])
    print("child done", os.getpid())


if __name__ == "__main__":
    q = Queue()
    p = Process(target=f, args=(q,))
    p.start()
    items = [q.get() for _ in range(N)]
    print(items[0])
    p.join()
