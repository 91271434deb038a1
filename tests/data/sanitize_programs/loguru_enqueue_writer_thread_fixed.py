"""loguru's multiprocessing recipe (its docs, Delgan/loguru #160): a sink added with enqueue=True, and the
logger handed to the child. enqueue=True starts loguru's writer thread, alive at the start; under fork the
child still logs: loguru registers os.register_at_fork() handlers that take its handlers' locks (under which
the writer works) before the fork and release them after, so none is held in the child (MP112 was reported:
"locks the others held stay held")."""

import os
import tempfile
from multiprocessing import Process

from loguru import logger


def work(n, logger_):
    logger_.info("child working on {}", n)


if __name__ == "__main__":
    fd, path = tempfile.mkstemp(suffix=".log")
    os.close(fd)
    try:
        logger.remove()
        logger.add(path, format="{message}", enqueue=True)
        logger.info("parent start")
        p = Process(target=work, args=(7, logger))
        p.start()
        p.join()
        assert p.exitcode == 0
        logger.complete()
        logger.remove()
        with open(path) as f:
            assert "child working on 7" in f.read()
    finally:
        os.remove(path)
