"""The child puts 10000 items, the parent takes one and joins: the child cannot end until its queue is flushed
(python/cpython#91594: hangs under every method). MP114 on the join."""

import os
from multiprocessing import Process, Queue


def f(q):
    for _ in range(10000):
        q.put([42, None, "hello"])
    print("child done", os.getpid())


if __name__ == "__main__":
    q = Queue()
    p = Process(target=f, args=(q,))
    p.start()
    print(q.get())  # prints "[42, None, 'hello']"
    p.join()  # lint: MP114
