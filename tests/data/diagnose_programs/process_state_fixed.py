"""The fix for MP108: keep the path in __init__, open the connection in run(), in the child."""

import sqlite3
from multiprocessing import Process


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def run(self):
        db = sqlite3.connect(self.path)
        db.execute("create table if not exists t (x)")
        db.commit()
        print("written")


if __name__ == "__main__":
    p = Writer(":memory:")
    p.start()
    p.join()
    print("child exit code", p.exitcode)
