"""The main guard imports the module whose decorator fills the task table; the worker looks a task up by
name: a spawn or forkserver worker never imports that module (KeyError), a fork worker has the table."""

from multiprocessing import Process

from tasklib import run

if __name__ == "__main__":
    import tasklib.jobs  # noqa: F401  # sanitize: MP103

    p = Process(target=run, args=("double", 3))
    p.start()
    p.join()
