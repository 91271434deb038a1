"""The twin of loguru_sink_added_at_run_time_broken: the child sets its own sinks up before it logs, so its
records reach the same sink under every method."""

import sys
from multiprocessing import Process

from loguru import logger


def setup_sinks():
    logger.remove()
    logger.add(sys.stdout, format="{level} {message}", level="INFO")


def work():
    setup_sinks()
    logger.info("child working")


if __name__ == "__main__":
    setup_sinks()

    p = Process(target=work)
    p.start()
    p.join()
