"""Modelled on pytest-parallel 0.1.1's ParallelRunner.pytest_runtestloop: a thread that reads the workers'
responses is started, then the worker processes are forked, all in a method of an object the main block
makes (3.12 warns at each fork that the process is multi-threaded)."""

import multiprocessing
import threading
from multiprocessing import Process


def process_with_threads(queue):
    queue.put("done")


class ParallelRunner:
    def __init__(self, workers=2):
        self.workers = workers
        self._manager = multiprocessing.Manager()

    def process_responses(self, queue):
        while queue.get() != "quit":
            pass

    def runtestloop(self):
        responses_queue = self._manager.Queue()
        results = self._manager.Queue()
        responses_processor = threading.Thread(target=self.process_responses, args=(responses_queue,))
        responses_processor.daemon = True
        responses_processor.start()
        processes = []
        for _ in range(self.workers):
            process = Process(target=process_with_threads, args=(results,))
            process.start()
            processes.append(process)
        for process in processes:
            process.join()
        responses_queue.put("quit")
        responses_processor.join()
        print("exitcodes", [p.exitcode for p in processes])


if __name__ == "__main__":
    ParallelRunner().runtestloop()  # lint: MP112
