"""The fix for MP110: sys.path holds str entries only."""

import sys
import tempfile
from multiprocessing import Process
from pathlib import Path


def work():
    print("working")


if __name__ == "__main__":
    sys.path.append(str(Path(tempfile.gettempdir()) / "plugins"))
    p = Process(target=work)
    p.start()
    p.join()
