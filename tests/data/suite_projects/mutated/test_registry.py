from multiprocessing import Process

from tasklib import TASKS, run, task


@task
def double(x):
    return 2 * x


def run_here(name, x):
    assert TASKS[name](x) == 2 * x


def test_worker_runs_a_registered_task():
    p = Process(target=run, args=("double", 3))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_worker_of_this_module_runs_it():
    p = Process(target=run_here, args=("double", 3))
    p.start()
    p.join()
    assert p.exitcode == 0
