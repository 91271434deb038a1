"""A pathlib.Path appended to sys.path (MP110): the fork server dies, so start() fails under forkserver."""

import sys
import tempfile
from multiprocessing import Process
from pathlib import Path


def work():
    print("working")


if __name__ == "__main__":
    sys.path.append(Path(tempfile.gettempdir()) / "plugins")  # sanitize: MP110
    p = Process(target=work)
    p.start()
    p.join()
