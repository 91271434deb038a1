"""The parent rebinds a global at run time, and the child's target sets it again itself, from what it is
handed, before anything reads it: every method's child reads the value it set (issue 29: "not when the
initializer sets it again" held for an initializer only, not for the target)."""

from multiprocessing import Process

CONFIG = {"mode": "slow"}


def run():
    print(CONFIG["mode"])


def work(config):
    global CONFIG
    CONFIG = config
    run()


if __name__ == "__main__":
    CONFIG = {"mode": "fast"}
    p = Process(target=work, args=(CONFIG,))
    p.start()
    p.join()
    assert p.exitcode == 0
