"""The fix for MP105: the child configures its own logging."""

import logging
from multiprocessing import Process


def work():
    logging.basicConfig(level=logging.INFO)
    logging.info("working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
