"""pyphi#38's shape (held-out set 6): the user sets attributes of the module-level ``config`` at run time, then a
method of an object starts workers handed ``evaluate_cut``, which they call as ``compute(obj)`` and which reads
the config: a spawn or forkserver child re-imports the script, makes a new ``Config``, and rounds with its
defaults."""

import multiprocessing


class Config:
    def __init__(self):
        self.PRECISION = 6
        self.MEASURE = "EMD"


config = Config()


def evaluate_cut(cut):
    raw = cut * 0.1234567
    if config.MEASURE == "KLD":
        raw *= 2
    return round(raw, config.PRECISION)


class MapReduce:
    def __init__(self, iterable):
        self.iterable = list(iterable)

    @staticmethod
    def worker(compute, in_queue, out_queue):
        for obj in iter(in_queue.get, None):
            out_queue.put(compute(obj))

    def run(self):
        in_queue, out_queue = multiprocessing.Queue(), multiprocessing.Queue()
        p = multiprocessing.Process(target=self.worker, args=(evaluate_cut, in_queue, out_queue))
        p.start()
        for obj in self.iterable:
            in_queue.put(obj)
        in_queue.put(None)
        results = [out_queue.get() for _ in self.iterable]
        p.join()
        return results


if __name__ == "__main__":
    config.PRECISION = 2  # sanitize: MP103
    config.MEASURE = "KLD"  # sanitize: MP103
    got = MapReduce([1, 2]).run()
    print("OK" if got == [0.25, 0.49] else f"BROKEN: the worker used the default config: {got}")
