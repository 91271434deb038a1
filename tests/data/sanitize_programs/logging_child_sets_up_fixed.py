"""The parent configures logging at run time, and the child's own code sets its logging up too, through a
set-up function that does nothing where a handler is already there (as under fork, which inherits the
parent's): under spawn and forkserver the child configures the same logging itself, so its records are
handled alike under every method (issue 29: MP105 was reported because under fork the set-up added nothing)."""

import logging
import multiprocessing


def setup_logging():
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO)


def work():
    setup_logging()
    logging.getLogger("worker").info("working")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
