"""A wrong expectation on purpose: the child's INFO record is expected under every method.

It is logged under fork only (the child inherits the configured root logger; see the catalog's
logging_in_child): this scenario shows what a failing cell looks like.
"""

import logging
import os
import sys
import tempfile
from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"unconfigured_child_stderr": "INFO:root:hello from the child\n"})


def log_to_stderr(results):
    """Log with the inherited configuration, fd 2 sent to a file; send back what reached it."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile("w+") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            logging.info("hello from the child")
            sys.stderr.flush()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        results.put(captured.read())


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    results = Queue()
    p = Process(target=log_to_stderr, args=(results,))
    p.start()
    emitted = results.get(timeout=30)
    p.join()
    report(unconfigured_child_stderr=emitted)
