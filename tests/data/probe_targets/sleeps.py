"""A script that outlives any patience: the probe must be stoppable while it runs."""

import os
import time

if __name__ == "__main__":
    with open(os.environ["MPCHECK_TEST_STARTED"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    time.sleep(600)
