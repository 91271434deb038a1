"""A private (name-mangled) method as a Process target (gtdbtk's parallel runner starts
``target=self.__process_manager``): a bound method pickles as a lookup of its name, ``__work``, on its
object, but the class keeps it as ``_Runner__work``. Under spawn and forkserver the child fails to
unpickle its target (AttributeError: 'Runner' object has no attribute '__work', CPython 3.9 to 3.15.2,
python/cpython#77188) and exits 1; under fork nothing is pickled and it runs."""

import multiprocessing


class Runner:
    def __work(self, results):  # sanitize: MP101
        results.put("done")

    def run(self):
        results = multiprocessing.Queue()
        p = multiprocessing.Process(target=self.__work, args=(results,))
        p.start()
        p.join()
        return p.exitcode


if __name__ == "__main__":
    print("exit code", Runner().run())
