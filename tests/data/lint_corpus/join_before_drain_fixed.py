"""Fixed twin of join_before_drain_broken.py: read the result first, then join."""

from multiprocessing import Process, Queue


def render(job, results):
    results.put(("ok", "x" * 100_000 + job))


def run(job):
    results = Queue()
    proc = Process(target=render, args=(job, results))
    proc.start()
    status = results.get()
    proc.join()
    return status


if __name__ == "__main__":
    print(len(run("report")[1]))
