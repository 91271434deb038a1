"""Fixed twin of logging_spawn_broken.py: each worker configures logging in the Pool initializer."""

import logging
import multiprocessing as mp

logger = logging.getLogger(__name__)


def setup_logging(level):
    logging.basicConfig(level=level)


def embed(chunk):
    logger.info("embedding %d items", len(chunk))
    return len(chunk)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    logging.basicConfig(level=logging.INFO)
    with mp.Pool(2, initializer=setup_logging, initargs=(logging.INFO,)) as pool:
        print(pool.map(embed, [[1, 2], [3]]))
