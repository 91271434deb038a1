"""Modelled on python/cpython#142249: a lambda as a Pool initializer, at import time (3.14 raises
PicklingError: forkserver is Linux's default there), and no main guard."""

import multiprocessing

pool = multiprocessing.Pool(None, lambda: None)  # lint: MP101, MP102
print(pool.map(abs, [-1, -2]))
pool.close()
