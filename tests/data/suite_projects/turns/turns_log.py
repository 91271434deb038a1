"""Where each pytest of ``mpcheck suite`` is: one line per event, in the order they happen, in $TURNS_LOG."""

import os
import time


def log(event: str) -> None:
    with open(os.environ["TURNS_LOG"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.environ.get('MPCHECK_START_METHOD')} {event} {os.getpid()}\n")


def seen(wanted: str) -> bool:
    with open(os.environ["TURNS_LOG"], encoding="utf-8") as fh:
        return any(line.startswith(wanted + " ") for line in fh)


def wait_until_seen(wanted: str, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit
    while not seen(wanted):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
