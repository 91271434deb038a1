import logging
from multiprocessing import Process

import pytest
from loguru import logger

log = logging.getLogger("jobs")


def work_std():
    log.info("from the child")


def work_loguru():
    logger.info("from the child")


@pytest.fixture
def std_sink(tmp_path):
    path = tmp_path / "std.log"
    handler = logging.FileHandler(path)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield path
    log.removeHandler(handler)
    handler.close()
    log.setLevel(logging.NOTSET)


@pytest.fixture
def loguru_sink(tmp_path):
    path = tmp_path / "loguru.log"
    handler_id = logger.add(str(path), format="{message}", level="INFO")
    yield path
    logger.remove(handler_id)


def start_and_join(target):
    p = Process(target=target)
    p.start()
    p.join()
    assert p.exitcode == 0


def test_child_logs_to_the_sink_of_a_named_logger(std_sink):
    start_and_join(work_std)
    assert std_sink.read_text() == "from the child\n"


def test_child_logs_to_a_loguru_sink(loguru_sink):
    start_and_join(work_loguru)
    assert loguru_sink.read_text() == "from the child\n"
