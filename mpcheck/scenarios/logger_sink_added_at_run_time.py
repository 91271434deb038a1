"""A sink added to a module-level logger at run time: only a fork child's records reach it.

Modules log through a logger of their own, made at import (``log = logging.getLogger("jobs")``; loguru's
and logbook's module-level loggers are the same shape), and the program adds its sink to that logger
once it runs: in its main block, a command's set-up, a test's fixture (``log.addHandler(...)``, loguru's
``logger.add(...)``). A fork child is a copy of the parent: its record reaches the sink. A spawn or
forkserver child imports the module afresh: its logger has no sink and no level, so the INFO record is
dropped (at WARNING and above it would reach logging's last resort, stderr, unformatted). A child that
adds the sink itself when it has none (a set-up that skips a handler already there) writes under every
method.

What reached the sink is observed: the sink is a file, read by the parent after each child has ended.

Seen on CPython 3.9.18, 3.10.13, 3.11.7, 3.12.1, 3.13.0, 3.13.5, 3.13.15, 3.13.18, 3.14.8, 3.14.10,
3.15.0, 3.15.2 and PyPy 7.3.11, 7.3.19, 8.0.1 (Linux). macOS and Windows are encoded from CPython's
source, not run: a spawn child there (and a forkserver child on macOS) imports the modules afresh as a
Linux spawn child does (``multiprocessing/spawn.py``), so its logger has no sink.
"""

import logging
import os
import tempfile
from multiprocessing import Process

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

FORMAT = "%(levelname)s %(name)s: %(message)s"

EXPECT = Expect(
    facts={
        "sink_lines_from_plain_child": by_method(fork=["INFO jobs: working on 1"], default=[]),
        "sink_lines_from_child_adding_its_sink": ["INFO jobs: working on 2"],
        "exitcodes": [0, 0],
    }
)

log = logging.getLogger("jobs")


def add_sink(path):
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)  # sanitize: MP105
    log.setLevel(logging.INFO)


def work(n):
    log.info("working on %d", n)


def work_with_its_sink(n, path):
    if not log.handlers:  # a fork child has the parent's
        add_sink(path)
    log.info("working on %d", n)


def lines_after(target, args, path, seen):
    p = Process(target=target, args=args)
    p.start()
    p.join()
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return lines[seen:], p.exitcode


if __name__ == "__main__":
    folder = tempfile.mkdtemp(prefix="mpcheck-sink-")
    path = os.path.join(folder, "jobs.log")
    add_sink(path)  # lint: MP105

    plain, code1 = lines_after(work, (1,), path, 0)
    own, code2 = lines_after(work_with_its_sink, (2, path), path, len(plain))
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)
    os.remove(path)
    os.rmdir(folder)
    print(f"the sink got {plain} from a plain child, {own} from a child that adds its sink")

    report(sink_lines_from_plain_child=plain, sink_lines_from_child_adding_its_sink=own, exitcodes=[code1, code2])
