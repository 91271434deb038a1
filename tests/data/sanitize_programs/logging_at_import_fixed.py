"""logging configured at import time, outside the guard: a spawn child's import configures it too."""

import logging
from multiprocessing import Process

logging.basicConfig(level=logging.INFO)


def work():
    logging.info("child working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
