"""The fix of class_paths_set_by_classmethod_broken.py: the worker is handed the folder and sets the paths itself
before it checks the tools: nothing."""

import multiprocessing
import tempfile

from flashtools import FlashUtilities


def flash_worker(folder, queue):
    FlashUtilities.set_paths(folder)
    queue.put(FlashUtilities.check_tools())


if __name__ == "__main__":
    folder = tempfile.gettempdir()
    FlashUtilities.set_paths(folder)
    queue = multiprocessing.Queue()
    worker = multiprocessing.Process(target=flash_worker, args=(folder, queue))
    worker.start()
    print(queue.get(timeout=30))
    worker.join()
