"""Sets a module global in the job, then reads it in Pool workers.

Fork workers inherit the changed value; spawn and forkserver workers re-import this module and see
the import-time value.
"""

from multiprocessing import Pool

SETTING = "import-time"


def read_setting(_):
    return SETTING


def main():
    global SETTING
    SETTING = "set by the job"
    with Pool(2) as pool:
        return sorted(set(pool.map(read_setting, range(4))))
