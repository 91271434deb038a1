"""mpcheck: how multiprocessing code behaves under fork, spawn and forkserver, cell by cell.

Kept import-free: every cell's interpreter imports this package before running its scenario.
"""

__version__ = "0.1.0"
