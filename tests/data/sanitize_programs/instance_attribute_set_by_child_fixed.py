"""Look-alikes of attributes of a module-level object set at run time, each right under every method: the
Pool's initializer sets the attribute again itself; a target calls the object's method that loads the
parent's values (``vars(self).update``) before it reads; a property keeps its value in the environment,
which a child inherits; an attribute set to the value a new object has anyway; a child the program forks."""

import multiprocessing
import os
from multiprocessing import Pool, Process


class Config:
    def __init__(self):
        self.precision = 6
        self.retries = 3

    def snapshot(self):
        return dict(vars(self))

    def load(self, values):
        vars(self).update(values)


class Paths:
    @property
    def root(self):
        return os.environ.get("APP_ROOT", "/tmp")

    @root.setter
    def root(self, value):
        os.environ["APP_ROOT"] = value


config = Config()
paths = Paths()


def set_precision(precision):
    config.precision = precision


def task(x):
    return round(x / 3, config.precision)


def work(values):
    config.load(values)
    print("OK" if config.precision == 2 else "BROKEN: precision 6")


def show_root():
    print("OK" if paths.root == "/srv" and config.retries == 3 else "BROKEN: root or retries")


def forked():
    print("OK" if config.precision == 2 else "BROKEN: precision 6")


if __name__ == "__main__":
    config.precision = 2
    config.retries = 3
    paths.root = "/srv"
    with Pool(2, initializer=set_precision, initargs=(config.precision,)) as pool:
        got = pool.map(task, [1.0, 2.0])
    print("OK" if got == [0.33, 0.67] else f"BROKEN: the workers used precision 6: {got}")
    for p in (
        Process(target=work, args=(config.snapshot(),)),
        Process(target=show_root),
        multiprocessing.get_context("fork").Process(target=forked),
    ):
        p.start()
        p.join()
