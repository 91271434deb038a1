"""Look-alikes of a class attribute read through an object the child is sent, each right under every method:
the value set on the object itself (pickled with it); the target sets the class attribute again from what
it is given before it reads; a class attribute set to its import-time value; a child the program forks."""

import multiprocessing
from multiprocessing import Process, Queue


class ExperimentConfig:
    steps = 3
    name = "base"
    seed = 0


def train(config, out):
    out.put(config.steps)


def report(config, name, out):
    ExperimentConfig.name = name
    out.put(config.name)


def seeded(config, out):
    out.put(config.seed)


if __name__ == "__main__":
    ExperimentConfig.name = "tuned"
    ExperimentConfig.seed = 0
    tuned = ExperimentConfig()
    tuned.steps = 5
    q = Queue()
    for p, want in (
        (Process(target=train, args=(tuned, q)), 5),
        (Process(target=report, args=(ExperimentConfig(), ExperimentConfig.name, q)), "tuned"),
        (Process(target=seeded, args=(ExperimentConfig(), q)), 0),
        (multiprocessing.get_context("fork").Process(target=report, args=(ExperimentConfig(), "tuned", q)), "tuned"),
    ):
        p.start()
        got = q.get()
        p.join()
        print("OK" if got == want else f"BROKEN: the child read {got!r}")
