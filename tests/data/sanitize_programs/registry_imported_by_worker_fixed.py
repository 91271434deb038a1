"""The twin of registry_filled_by_plugin_broken: the worker imports the tasks' module itself before it looks
a task up, so its table is filled under every method (the child fills it again)."""

from multiprocessing import Process

from tasklib import TASKS


def work(name, x):
    import tasklib.jobs  # noqa: F401

    print(TASKS[name](x))


if __name__ == "__main__":
    import tasklib.jobs  # noqa: F401

    p = Process(target=work, args=("double", 3))
    p.start()
    p.join()
    if p.exitcode:
        raise SystemExit(p.exitcode)
