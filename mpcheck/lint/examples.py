"""One short broken program and its fix per rule, for the rule docs (docs/lint.md) and ``--explain``.

A test lints every pair: the broken one gives exactly its rule's findings, the fixed one none, so a
documented example can never drift from what the linter does.
"""

from __future__ import annotations

from typing import Dict, Tuple

EXAMPLES: Dict[str, Tuple[str, str]] = {
    "MP101": (
        """\
from multiprocessing import Pool


def main():
    with Pool(4) as pool:
        print(pool.map(lambda x: x * x, range(10)))


if __name__ == "__main__":
    main()
""",
        """\
from multiprocessing import Pool


def square(x):
    return x * x


def main():
    with Pool(4) as pool:
        print(pool.map(square, range(10)))


if __name__ == "__main__":
    main()
""",
    ),
    "MP102": (
        """\
from multiprocessing import Process


def work():
    print("working")


p = Process(target=work)
p.start()
p.join()
""",
        """\
from multiprocessing import Process


def work():
    print("working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
""",
    ),
    "MP103": (
        """\
from multiprocessing import Pool

settings = {"scale": 1}


def work(x):
    return x * settings["scale"]


if __name__ == "__main__":
    settings = {"scale": 10}
    with Pool(2) as pool:
        print(pool.map(work, [1, 2]))
""",
        """\
from functools import partial
from multiprocessing import Pool


def work(scale, x):
    return x * scale


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(partial(work, 10), [1, 2]))
""",
    ),
    "MP104": (
        """\
from multiprocessing import Lock, Process

counter = 0
lock = Lock()


def work():
    global counter
    with lock:
        counter += 1


if __name__ == "__main__":
    procs = [Process(target=work) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(counter)  # 0
""",
        """\
from multiprocessing import Process, Value


def work(counter):
    with counter.get_lock():
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    procs = [Process(target=work, args=(counter,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(counter.value)  # 4
""",
    ),
    "MP105": (
        """\
import logging
from multiprocessing import Process


def work():
    logging.info("working")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    p = Process(target=work)
    p.start()
    p.join()
""",
        """\
import logging
from multiprocessing import Process


def work():
    logging.basicConfig(level=logging.INFO)
    logging.info("working")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    p = Process(target=work)
    p.start()
    p.join()
""",
    ),
    "MP106": (
        """\
import os
from multiprocessing import Process


def work():
    print(os.environ.get("MODE"))


def run():
    p = Process(target=work)
    p.start()
    p.join()


if __name__ == "__main__":
    run()
    os.environ["MODE"] = "fast"
    run()
""",
        """\
import os
from multiprocessing import Process


def work(mode):
    print(mode)


def run(mode):
    p = Process(target=work, args=(mode,))
    p.start()
    p.join()


if __name__ == "__main__":
    run(os.environ.get("MODE"))
    run("fast")
""",
    ),
    "MP107": (
        """\
import signal
import sys
from multiprocessing import Process


def on_term(signum, frame):
    sys.exit("parent cleaning up")


def work():
    signal.pause()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    p = Process(target=work)
    p.start()
    p.terminate()
""",
        """\
import signal
import sys
from multiprocessing import Process


def on_term(signum, frame):
    sys.exit("parent cleaning up")


def work():
    signal.pause()


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    signal.signal(signal.SIGTERM, on_term)
    p.terminate()
""",
    ),
    "MP108": (
        """\
import sqlite3
from multiprocessing import Process


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.db = sqlite3.connect(path)

    def run(self):
        self.db.execute("select 1")
""",
        """\
import sqlite3
from multiprocessing import Process


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def run(self):
        db = sqlite3.connect(self.path)
        db.execute("select 1")
""",
    ),
    "MP109": (
        """\
import os
from multiprocessing import Process


def work():
    pass


def helper():
    if os.fork() == 0:
        Process(target=work).start()
        os._exit(0)


if __name__ == "__main__":
    helper()
""",
        """\
from multiprocessing import Process


def work():
    pass


def helper():
    Process(target=work).start()


if __name__ == "__main__":
    Process(target=helper).start()
""",
    ),
    "MP110": (
        """\
import sys
from multiprocessing import Process
from pathlib import Path

sys.path.insert(0, Path(__file__).parent / "lib")

if __name__ == "__main__":
    Process(target=print).start()
""",
        """\
import sys
from multiprocessing import Process
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "lib"))

if __name__ == "__main__":
    Process(target=print).start()
""",
    ),
    "MP111": (
        """\
import atexit
from multiprocessing import Process


def flush():
    print("flushed")


def work():
    atexit.register(flush)
    print("working")


if __name__ == "__main__":
    Process(target=work).start()
""",
        """\
from multiprocessing import Process


def flush():
    print("flushed")


def work():
    try:
        print("working")
    finally:
        flush()


if __name__ == "__main__":
    Process(target=work).start()
""",
    ),
    "MP112": (
        """\
import threading
from multiprocessing import Process


def heartbeat():
    pass


def work():
    pass


if __name__ == "__main__":
    threading.Thread(target=heartbeat, daemon=True).start()
    Process(target=work).start()
""",
        """\
import threading
from multiprocessing import Process


def heartbeat():
    pass


def work():
    pass


if __name__ == "__main__":
    Process(target=work).start()
    threading.Thread(target=heartbeat, daemon=True).start()
""",
    ),
    "MP113": (
        """\
import multiprocessing

multiprocessing.set_start_method("spawn")


def work():
    pass


if __name__ == "__main__":
    multiprocessing.Process(target=work).start()
""",
        """\
import multiprocessing


def work():
    pass


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    multiprocessing.Process(target=work).start()
""",
    ),
    "MP114": (
        """\
from multiprocessing import Process, Queue


def produce(q):
    q.put(b"x" * 1_000_000)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    p.join()
    data = q.get()
""",
        """\
from multiprocessing import Process, Queue


def produce(q):
    q.put(b"x" * 1_000_000)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    data = q.get()
    p.join()
""",
    ),
    "MP115": (
        """\
from multiprocessing import Process


def leaf():
    pass


def supervisor():
    p = Process(target=leaf)
    p.start()
    p.join()


if __name__ == "__main__":
    s = Process(target=supervisor, daemon=True)
    s.start()
    s.join()
""",
        """\
from multiprocessing import Process


def leaf():
    pass


def supervisor():
    p = Process(target=leaf)
    p.start()
    p.join()


if __name__ == "__main__":
    s = Process(target=supervisor)
    s.start()
    s.join()
""",
    ),
    "MP116": (
        """\
import multiprocessing


def prepare():
    if multiprocessing.get_start_method() == "spawn":
        print("children re-import: load the model in each")
    else:
        print("children are copies: load the model once")
""",
        """\
import multiprocessing


def prepare():
    if multiprocessing.get_start_method() == "fork":
        print("children are copies: load the model once")
    else:
        print("children re-import: load the model in each")
""",
    ),
    "MP117": (
        """\
from multiprocessing import Process, Value


def add(total):
    for _ in range(1000):
        total.value += 1


if __name__ == "__main__":
    total = Value("i", 0)
    procs = [Process(target=add, args=(total,)) for _ in range(4)]
""",
        """\
from multiprocessing import Process, Value


def add(total):
    for _ in range(1000):
        with total.get_lock():
            total.value += 1


if __name__ == "__main__":
    total = Value("i", 0)
    procs = [Process(target=add, args=(total,)) for _ in range(4)]
""",
    ),
    "MP118": (
        """\
import multiprocessing


def work(q):
    q.put("hello")


if __name__ == "__main__":
    q = multiprocessing.get_context("fork").Queue()
    p = multiprocessing.get_context("spawn").Process(target=work, args=(q,))
""",
        """\
import multiprocessing


def work(q):
    q.put("hello")


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=work, args=(q,))
""",
    ),
    "MP119": (
        """\
import os
import signal
from multiprocessing import Process


def serve(master_pid):
    if os.getppid() != master_pid:
        print("started by someone else")


def reap(signum, frame):
    print("a worker died: start another")


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, reap)
    Process(target=serve, args=(os.getpid(),)).start()
""",
        """\
from multiprocessing import Process
from multiprocessing.connection import wait


def serve():
    print("serving")


if __name__ == "__main__":
    worker = Process(target=serve)
    worker.start()
    wait([worker.sentinel])
    print("a worker died: start another")
""",
    ),
    "MP120": (
        """\
from multiprocessing import Process, Queue

results = Queue()


def work(n):
    results.put(n * n)


if __name__ == "__main__":
    p = Process(target=work, args=(3,))
    p.start()
    print(results.get())
""",
        """\
from multiprocessing import Process, Queue


def work(n, results):
    results.put(n * n)


if __name__ == "__main__":
    results = Queue()
    p = Process(target=work, args=(3, results))
    p.start()
    print(results.get())
""",
    ),
    "MP121": (
        """\
import random
from multiprocessing import Pool

rng = random.Random()


def roll(n):
    return [rng.randint(1, 6) for _ in range(n)]


if __name__ == "__main__":
    with Pool(4) as pool:
        print(pool.map(roll, [3] * 4))
""",
        """\
import random
from multiprocessing import Pool

rng = random.Random()


def reseed():
    rng.seed()


def roll(n):
    return [rng.randint(1, 6) for _ in range(n)]


if __name__ == "__main__":
    with Pool(4, initializer=reseed) as pool:
        print(pool.map(roll, [3] * 4))
""",
    ),
    "MP122": (
        """\
import os
import signal
from multiprocessing import Process


def reap(signum, frame):
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(client):
    print("serving", client)


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, reap)
    p = Process(target=serve, args=("a",))
    p.start()
    p.join()
    print(p.exitcode)
""",
        """\
import multiprocessing
import signal
from multiprocessing import Process


def reap(signum, frame):
    multiprocessing.active_children()


def serve(client):
    print("serving", client)


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, reap)
    p = Process(target=serve, args=("a",))
    p.start()
    p.join()
    print(p.exitcode)
""",
    ),
}
