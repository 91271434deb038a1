"""basicConfig() in the main guard reaches only fork children; configuring in the child or a QueueHandler works.

``basicConfig(level=INFO)`` runs in the parent's ``if __name__ == "__main__":`` block. A fork child
inherits the configured root logger (level INFO, a StreamHandler on stderr), so its ``logging.info``
record is emitted. A spawn or forkserver child starts from a fresh interpreter (or the fork server's
clean state) and re-imports the script as ``__mp_main__``, which skips the guarded block: its root
logger is unconfigured (level WARNING), so the INFO record is dropped and nothing is written.

The fixes: the child calls ``basicConfig`` itself (under fork it is a no-op, the inherited handler
emits), or the child sends its records through a ``QueueHandler`` to a ``QueueListener`` in the parent.

What a child emitted is observed, not inferred from its handler set-up: around the logging call the
child points its file descriptor 2 at a temporary file and sends back what reached it (under
forkserver a child's stderr is the fork server's, so only an fd-level redirect inside the child
sees it everywhere).
"""

import logging
import os
import sys
import tempfile
from logging.handlers import QueueHandler, QueueListener
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

LINE = "INFO:root:hello from the child\n"

EXPECT = Expect(
    facts={
        "unconfigured_child_stderr": by_method(fork=LINE, default=""),
        "configured_child_stderr": LINE,
        "queue_child_stderr": "",
        "queue_listener_records": ["INFO:root:hello through the queue"],
        "exitcodes": [0, 0, 0],
    }
)


def stderr_of(log_call, *args):
    """Run ``log_call(*args)`` with this process's fd 2 sent to a temporary file; return what reached it."""
    had_stderr = sys.stderr is not None
    if had_stderr:
        sys.stderr.flush()
        saved = os.dup(2)
    with tempfile.TemporaryFile("w+") as captured:
        os.dup2(captured.fileno(), 2)
        if not had_stderr:  # Windows: a child whose parent's stderr is not a console may get none
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        try:
            log_call(*args)
            sys.stderr.flush()
        finally:
            if had_stderr:
                os.dup2(saved, 2)
                os.close(saved)
        captured.seek(0)
        return captured.read()


def log_only(results):
    results.put(stderr_of(logging.info, "hello from the child"))


def configure_then_log(results):
    def log():
        logging.basicConfig(level=logging.INFO)
        logging.info("hello from the child")

    results.put(stderr_of(log))


def log_through_queue(results, log_queue):
    def log():
        root = logging.getLogger()
        root.handlers = [QueueHandler(log_queue)]  # also drops a StreamHandler inherited under fork
        root.setLevel(logging.INFO)
        logging.info("hello through the queue")

    results.put(stderr_of(log))


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def run(target, *args):
    results = Queue()
    p = Process(target=target, args=(results, *args))
    p.start()  # sanitize: MP112
    emitted = results.get(timeout=30)
    p.join()
    return emitted, p.exitcode


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)  # sanitize: MP105  # lint: MP105

    unconfigured, code1 = run(log_only)
    configured, code2 = run(configure_then_log)

    log_queue = Queue()
    collected = ListHandler()
    collected.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
    listener = QueueListener(log_queue, collected)
    listener.start()
    through_queue, code3 = run(log_through_queue, log_queue)  # lint: MP112
    listener.stop()
    print(f"child wrote {unconfigured!r} unconfigured, {configured!r} configured; queue: {collected.lines}")

    report(
        unconfigured_child_stderr=unconfigured,
        configured_child_stderr=configured,
        queue_child_stderr=through_queue,
        queue_listener_records=collected.lines,
        exitcodes=[code1, code2, code3],
    )
