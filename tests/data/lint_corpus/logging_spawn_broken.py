"""Modelled on BlueBrain/Search#278 and runtimeverification/k#4601: logging configured in the parent only;
with spawn the workers' INFO records are invisible."""

import logging
import multiprocessing as mp

logger = logging.getLogger(__name__)


def embed(chunk):
    logger.info("embedding %d items", len(chunk))
    return len(chunk)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    logging.basicConfig(level=logging.INFO)  # lint: MP105
    with mp.Pool(2) as pool:
        print(pool.map(embed, [[1, 2], [3]]))
