"""Threads that talk over a multiprocessing Pipe (maxminddb's test_threading): no process receives
anything, so nothing the start method decides can change the outcome."""

import multiprocessing
import threading


def test_threads_talk_over_a_pipe():
    here, there = multiprocessing.get_context("fork").Pipe()
    worker = threading.Thread(target=lambda: there.send(sum(range(10))))
    worker.start()
    assert here.recv() == 45
    worker.join()
