import logging
import multiprocessing

from helpers import log_from_child


def test_child_logs(tmp_path):
    logger = logging.getLogger("tour")
    handler = logging.FileHandler(tmp_path / "log.txt")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        p = multiprocessing.Process(target=log_from_child)
        p.start()
        p.join()
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "hello from the child" in (tmp_path / "log.txt").read_text()
