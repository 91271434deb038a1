"""A pool helper that sets the start method at every pool it makes: the second call raises "context has already
been set" (djgroen/FabSim3#201). MP113 on the second call of the helper."""

from multiprocessing import Pool, set_start_method


class MultiProcessingPool:
    def __init__(self, processes):
        set_start_method("fork")
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
    print(ensemble(3))  # lint: MP113
