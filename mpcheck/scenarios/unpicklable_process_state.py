"""A Process subclass that opens a connection or a file in ``__init__``: ``start()`` fails under spawn and forkserver.

Under spawn and forkserver ``start()`` pickles the Process object, attributes and all, to send it to
the child; an ``sqlite3`` connection or an open file cannot be pickled, so ``start()`` raises
``TypeError: cannot pickle 'sqlite3.Connection' object`` in the parent (from 3.14 with a note saying
which attribute, gh-122213); an open file gives ``cannot pickle '_io.TextIOWrapper' object``, worded
``cannot pickle 'TextIOWrapper' instances`` from 3.12 (the ``_io`` types got their own
``__reduce_ex__`` when the module was isolated, gh-101819; gh-122559 restored the old behaviour in
3.13.4 for FileIO and the buffered classes only). A forked child inherits the object as it is and
runs. Public reports of the pattern, working on Linux and failing on macOS or 3.14: dgea005/pypgoutput#16
(a replication connection), northpowered/temporal-boost#24 (a file). Opening the resource in
``run()``, in the child, works under every method.
"""

import os
import sqlite3
import tempfile
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method, contains, since
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "connection_in_init_error": by_method(fork=None, default="TypeError"),
        "connection_in_init_message": by_method(
            fork=None, default=contains("cannot pickle 'sqlite3.Connection' object")
        ),
        "connection_in_init_result": by_method(fork=42, default=None),
        "file_in_init_error": by_method(fork=None, default="TypeError"),
        "file_in_init_message": by_method(
            fork=None,
            default=since(
                "3.12",
                contains("cannot pickle 'TextIOWrapper' instances"),
                contains("cannot pickle '_io.TextIOWrapper' object"),
            ),
        ),
        "open_in_run_results": [42, "written in the child"],
    }
)


class Query(Process):
    def __init__(self, database, queue):
        super().__init__()
        self.db = sqlite3.connect(database)  # the pitfall: opened in the parent  # lint: MP108
        self.queue = queue

    def run(self):
        self.queue.put(self.db.execute("select 6 * 7").fetchone()[0])


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.out = open(path, "a")  # noqa: SIM115 - the pitfall: opened in the parent  # lint: MP108

    def run(self):
        self.out.write("written in the child\n")
        self.out.close()


class QueryInRun(Process):
    def __init__(self, database, queue):
        super().__init__()
        self.database = database  # a path pickles
        self.queue = queue

    def run(self):
        db = sqlite3.connect(self.database)
        self.queue.put(db.execute("select 6 * 7").fetchone()[0])
        db.close()


class WriterInRun(Process):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def run(self):
        with open(self.path, "a") as out:
            out.write("written in the child\n")


def start_and_join(process):
    """(error type, message) of start(), or (None, None) once the child has run."""
    try:
        process.start()
    except Exception as exc:
        print(f"{type(process).__name__}.start() -> {exc!r}")
        return error_name(exc), str(exc)
    process.join(30)
    return None, None


def written(path):
    with open(path) as fh:
        return fh.read().strip() or None


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "app.db")
        queue = Queue()

        query = Query(database, queue)
        connection_error, connection_message = start_and_join(query)
        connection_result = queue.get(timeout=30) if connection_error is None else None
        query.db.close()

        writer = Writer(os.path.join(tmp, "in-init.txt"))
        file_error, file_message = start_and_join(writer)
        writer.out.close()

        start_and_join(QueryInRun(database, queue))
        in_run_path = os.path.join(tmp, "in-run.txt")
        start_and_join(WriterInRun(in_run_path))
        in_run = [queue.get(timeout=30), written(in_run_path)]

    report(
        connection_in_init_error=connection_error,
        connection_in_init_message=connection_message,
        connection_in_init_result=connection_result,
        file_in_init_error=file_error,
        file_in_init_message=file_message,
        open_in_run_results=in_run,
    )
