"""pyphi#38's fix (held-out set 6): the workers are handed a snapshot of the parent's ``config`` with the function
they call, and load it before they evaluate anything: every method rounds alike."""

import multiprocessing


class Config:
    def __init__(self):
        self.PRECISION = 6
        self.MEASURE = "EMD"

    def snapshot(self):
        return dict(self.__dict__)

    def load_dict(self, values):
        self.__dict__.update(values)


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
    def worker(values, compute, in_queue, out_queue):
        config.load_dict(values)
        for obj in iter(in_queue.get, None):
            out_queue.put(compute(obj))

    def run(self):
        in_queue, out_queue = multiprocessing.Queue(), multiprocessing.Queue()
        args = (config.snapshot(), evaluate_cut, in_queue, out_queue)
        p = multiprocessing.Process(target=self.worker, args=args)
        p.start()
        for obj in self.iterable:
            in_queue.put(obj)
        in_queue.put(None)
        results = [out_queue.get() for _ in self.iterable]
        p.join()
        return results


if __name__ == "__main__":
    config.PRECISION = 2
    config.MEASURE = "KLD"
    got = MapReduce([1, 2]).run()
    print("OK" if got == [0.25, 0.49] else f"BROKEN: the worker used the default config: {got}")
