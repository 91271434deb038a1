"""A Pool's task is an object of the program's class, called for each item (emcee#335: its
``_FunctionWrapper`` calls the user's log-probability through ``self.f``), and that function reads a
global the main block binds: a spawn or forkserver worker re-imports the script, where the name is
unbound (NameError) (MP103)."""

from multiprocessing import Pool


class FunctionWrapper:
    def __init__(self, f, args=()):
        self.f = f
        self.args = list(args)

    def __call__(self, x):
        return self.f(x, *self.args)


def log_prob_global(theta):
    return -0.5 * (theta - data[0]) ** 2


if __name__ == "__main__":
    data = [1.0, 2.0]  # sanitize: MP103
    with Pool(2) as pool:
        print(pool.map(FunctionWrapper(log_prob_global), [0.5, 1.5]))
