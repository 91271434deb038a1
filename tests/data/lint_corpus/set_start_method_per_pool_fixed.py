"""The fixed twin of set_start_method_per_pool_broken.py: the helper asks for fork each time and lets the RuntimeError
of a second call pass (the method is already fork)."""

from multiprocessing import Pool, set_start_method


class MultiProcessingPool:
    def __init__(self, processes):
        try:  # noqa: SIM105 (the report's own fix)
            set_start_method("fork")
        except RuntimeError:
            pass
        self.pool = Pool(processes=processes)

    def run(self, func, items):
        try:
            return self.pool.map(func, items)
        finally:
            self.pool.close()
            self.pool.join()


def run_ensemble_member(i):
    return f"member {i} done"


def ensemble(n):
    return MultiProcessingPool(2).run(run_ensemble_member, range(n))


if __name__ == "__main__":
    print(ensemble(2))
    print(ensemble(3))
