"""For mpcheck's own test: with $SEMLOG set, note the name of every named semaphore the tests create,
so the test can check that none is left in /dev/shm after their pytest was killed at the timeout."""

import os
from multiprocessing import synchronize

if os.environ.get("SEMLOG"):
    _init = synchronize.SemLock.__init__

    def _logged_init(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        name = getattr(self._semlock, "name", None)
        if name:
            with open(os.environ["SEMLOG"], "a") as fh:
                fh.write(name + "\n")

    synchronize.SemLock.__init__ = _logged_init
