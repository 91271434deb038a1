"""The fix of global_read_through_callable_task_broken.py (emcee's own recipe): the data travel with
the task object, as its arguments, so every worker gets them whatever the method: nothing."""

from multiprocessing import Pool


class FunctionWrapper:
    def __init__(self, f, args=()):
        self.f = f
        self.args = list(args)

    def __call__(self, x):
        return self.f(x, *self.args)


def log_prob(theta, data):
    return -0.5 * (theta - data[0]) ** 2


if __name__ == "__main__":
    data = [1.0, 2.0]
    with Pool(2) as pool:
        print(pool.map(FunctionWrapper(log_prob, (data,)), [0.5, 1.5]))
