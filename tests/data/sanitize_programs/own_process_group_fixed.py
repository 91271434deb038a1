"""The program makes a process group of its own (to signal its children with os.killpg, as aiotools' tests
do), then starts a child. It runs under every method; under `mpcheck sanitize` too, whose command is not the
leader of its session (os.setpgrp() in a session leader fails: PermissionError)."""

import os
from multiprocessing import Process


def work():
    pass


if __name__ == "__main__":
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    p = Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
