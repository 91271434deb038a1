"""A class attribute rebound in the main block, read by the child through an object of that class it is sent
(a parameter, given positionally or by keyword): the object is pickled with its own attributes only, so a
spawn or forkserver child's class has the import-time value."""

from multiprocessing import Process, Queue


class ExperimentConfig:
    steps = 3
    name = "base"


def train(config, out):
    out.put(config.steps)


def report(out, config=None):
    out.put(config.name)


if __name__ == "__main__":
    ExperimentConfig.steps = 5  # sanitize: MP103
    ExperimentConfig.name = "tuned"  # sanitize: MP103
    q = Queue()
    for p in (
        Process(target=train, args=(ExperimentConfig(), q)),
        Process(target=report, kwargs=dict(out=q, config=ExperimentConfig())),
    ):
        p.start()
        got = q.get()
        p.join()
        print("OK" if got in (5, "tuned") else f"BROKEN: the child read {got!r}")
