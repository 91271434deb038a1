"""A child started through an explicit context runs a Python script that starts a process through its own
default context: the forced method reaches that script (through the environment), not the child."""

import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grand_script.py")


def run_script(result):
    result.put(subprocess.run([sys.executable, SCRIPT], timeout=120).returncode)
