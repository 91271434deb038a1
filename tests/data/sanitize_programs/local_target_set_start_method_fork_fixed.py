"""The same local target, with fork chosen by the program's own set_start_method('fork') instead of a
context: the default context then forks, so the target is never pickled (no MP101)."""

import multiprocessing

if __name__ == "__main__":
    if "fork" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("fork")
        results = multiprocessing.Queue()

        def work(n):  # local: spawn could not pickle it
            results.put(n * 2)

        p = multiprocessing.Process(target=work, args=(21,))
        p.start()
        assert results.get(timeout=60) == 42
        p.join()
