"""Logging configured in the main block only (MP105): spawn and forkserver children log nothing."""

import logging
from multiprocessing import Process


def work():
    logging.info("working")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)  # sanitize: MP105
    p = Process(target=work)
    p.start()
    p.join()
