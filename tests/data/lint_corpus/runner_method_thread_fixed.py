"""Fixed twin of runner_method_thread_broken.py: the workers are started before the thread that reads
their responses."""

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
        processes = []
        for _ in range(self.workers):
            process = Process(target=process_with_threads, args=(results,))
            process.start()
            processes.append(process)
        responses_processor = threading.Thread(target=self.process_responses, args=(responses_queue,))
        responses_processor.daemon = True
        responses_processor.start()
        for process in processes:
            process.join()
        responses_queue.put("quit")
        responses_processor.join()
        print("exitcodes", [p.exitcode for p in processes])


if __name__ == "__main__":
    ParallelRunner().runtestloop()
