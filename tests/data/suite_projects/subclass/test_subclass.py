"""Processes made from a subclass of multiprocessing.Process (``class Task(Process)``), the way many
projects write them: the subclass resolves the default context at start() like Process() itself, so the
forced method reaches it and its real difference is found (a subclass used to count as an explicit
context, so this test was not rerun and the run compared nothing)."""

from multiprocessing import Process, Queue

MARK = "import"


class Task(Process):
    def __init__(self, queue):
        Process.__init__(self)
        self.queue = queue

    def run(self):
        self.queue.put(MARK)


def test_subclass_reads_state_set_at_run_time():
    global MARK
    MARK = "run time"  # a forked child has it; a spawn or forkserver child re-imports "import"
    queue = Queue()
    task = Task(queue)
    task.start()
    got = queue.get(timeout=60)
    task.join()
    assert got == "run time"


def test_subclass_that_agrees():
    queue = Queue()
    task = Task(queue)
    task.start()
    got = queue.get(timeout=60)
    task.join()
    assert got in ("import", "run time")
