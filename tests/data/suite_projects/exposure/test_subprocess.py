"""A test whose only process is another Python's: the start method forced there decides its outcome."""

import subprocess
import sys


def test_child_python_uses_fork():
    code = "import multiprocessing as mp; print(mp.get_start_method())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "fork"
