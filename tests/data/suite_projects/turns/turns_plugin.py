"""A plugin (``-p turns_plugin``): imported with pytest, before any conftest.py."""

import os
import signal

from turns_log import log

log("plugin")

if os.environ.get("TURNS_HOLD") and os.environ.get("MPCHECK_START_METHOD") == "spawn":
    # Ctrl-C during the first method's held test: this pytest outlives the interrupt (as a suite that
    # ignores SIGINT does) until the supervisor terminates it, so a test it were told to run meanwhile
    # (the first's interrupted one) would show in the log
    signal.signal(signal.SIGINT, signal.SIG_IGN)
