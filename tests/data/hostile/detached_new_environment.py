"""The cell starts a Python in a session of its own with another environment (as a daemon's master does,
or one that renames itself with setproctitle, which writes over what /proc/PID/environ shows), then hangs.

The child carries none of the cell's environment: the harness finds it by its parent, the cell's
interpreter, still alive when the timeout kills the tree, and kills it too.
"""

import os
import subprocess
import sys
import time

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"finished": True})

if __name__ == "__main__":
    record("main")
    child = subprocess.Popen(
        [sys.executable, "-c", "import time\nwhile True: time.sleep(0.1)"], env={}, start_new_session=True
    )
    # recorded for the leak check by its pid: the child has no environment to find the folder by
    with open(os.path.join(os.environ["MPCHECK_HOSTILE_PIDS"], str(child.pid)), "w") as fh:
        fh.write("detached")
    while True:
        time.sleep(0.1)
    report(finished=True)
