"""at#347's bug: the parent hands the ring to its Pool's workers through a global it sets at run time, whatever the
start method (the project tested the platform instead); the task is a ``functools.partial`` of the function that
reads it (spawn and forkserver workers see the import-time None)."""

import multiprocessing
from functools import partial

globring = None


def _atpass_one(ring, r, nturns):
    if ring is None:
        ring = globring
    return [r * elem["k"] * nturns for elem in ring]


def _pass(ring, values, nturns):
    with multiprocessing.Pool(2) as pool:
        return pool.starmap(partial(_atpass_one, ring, nturns=nturns), [(r,) for r in values])


def patpass(ring, values, nturns=1, globvar=True):
    global globring
    if globvar:
        globring = ring  # sanitize: MP103
        out = _pass(None, values, nturns)
        globring = None
        return out
    return _pass(ring, values, nturns)


if __name__ == "__main__":
    print(patpass([{"k": 1.01}, {"k": 0.99}], [1.0, 2.0]))
