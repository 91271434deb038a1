"""meta-tegra#2231: the main path sets tool paths on a class of another module through its classmethod, and the
flasher Process reads them through another classmethod of the class: a spawn or forkserver child imports the
module afresh and finds None (MP103 where the classmethod sets the attribute)."""

import multiprocessing
import tempfile

from flashtools import FlashUtilities


def flash_worker(queue):
    try:
        queue.put(FlashUtilities.check_tools())
    except RuntimeError as exc:
        queue.put(str(exc))


if __name__ == "__main__":
    FlashUtilities.set_paths(tempfile.gettempdir())
    queue = multiprocessing.Queue()
    worker = multiprocessing.Process(target=flash_worker, args=(queue,))
    worker.start()
    print(queue.get(timeout=30))
    worker.join()
