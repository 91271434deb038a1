import os
import subprocess
import sys


def test_subprocess_job():
    job = os.path.join(os.path.dirname(__file__), "job.py")
    done = subprocess.run([sys.executable, job], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
