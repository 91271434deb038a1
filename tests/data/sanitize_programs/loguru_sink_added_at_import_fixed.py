"""A look-alike of loguru_sink_added_at_run_time_broken: the sink is added by the script's top-level code,
which a spawn child's re-import of the script runs too; every child logs through it."""

import sys
from multiprocessing import Process

from loguru import logger

logger.remove()
logger.add(sys.stdout, format="{level} {message}", level="INFO")


def work():
    logger.info("child working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
