"""A Process subclass that opens its connection in __init__ (MP108): it cannot be pickled for spawn."""

import sqlite3
from multiprocessing import Process


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.db = sqlite3.connect(path)  # sanitize: MP108

    def run(self):
        self.db.execute("create table if not exists t (x)")
        self.db.commit()
        print("written")


if __name__ == "__main__":
    p = Writer(":memory:")
    p.start()
    p.join()
    print("child exit code", p.exitcode)
