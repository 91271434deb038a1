"""The same runner with a one-underscore method, ``_work``: no name mangling, so pickle finds it on the
object by its name and the child runs it under every method. A private attribute holding a
module-level function pickles by the function's own name, and works too."""

import multiprocessing


def report(results):
    results.put("reported")


class Runner:
    def __init__(self):
        self.__callback = report

    def _work(self, results):
        results.put("done")

    def run(self):
        results = multiprocessing.Queue()
        procs = [
            multiprocessing.Process(target=self._work, args=(results,)),
            multiprocessing.Process(target=self.__callback, args=(results,)),
        ]
        for p in procs:
            p.start()
        got = sorted(results.get(timeout=30) for _ in procs)
        for p in procs:
            p.join()
        return got, [p.exitcode for p in procs]


if __name__ == "__main__":
    print(Runner().run())
