"""A local function as a Process target and an attribute no pickle can carry, started by a context that
forks: a fork child gets the parent's memory as it is, so nothing is pickled and nothing is re-imported
(issue 29: oslo.concurrency's test did this under get_context('fork') and was reported MP101). The same
start under spawn or forkserver would be MP101; this program chose fork, where fork exists."""

import multiprocessing
import threading


class Job:
    def __init__(self):
        self.lock = threading.Lock()  # unpicklable, and never pickled by a fork start


if __name__ == "__main__":
    if "fork" in multiprocessing.get_all_start_methods():
        done = multiprocessing.get_context("fork").Event()

        def work(job):  # local: spawn could not pickle it
            with job.lock:
                done.set()

        p = multiprocessing.get_context("fork").Process(target=work, args=(Job(),))
        p.start()
        p.join()
        assert p.exitcode == 0 and done.is_set()
