"""loguru: the main guard replaces the logger's sinks; the child logs through the module-level logger. A fork
child's record reaches the parent's sink; a spawn or forkserver child's logger has only loguru's default
sink (stderr), so the record never reaches it."""

import sys
from multiprocessing import Process

from loguru import logger


def work():
    logger.info("child working")


if __name__ == "__main__":
    logger.remove()
    logger.add(sys.stdout, format="{level} {message}", level="INFO")  # sanitize: MP105

    p = Process(target=work)
    p.start()
    p.join()
