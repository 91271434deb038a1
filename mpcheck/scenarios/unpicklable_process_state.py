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

PyPy's ``sqlite3`` is pure Python over cffi
(https://github.com/pypy/pypy/blob/py3.11/lib_pypy/_sqlite3.py): a ``Connection`` has no
``__reduce__`` of its own, so the parent pickles it as any plain object, its ``__dict__`` with the
cffi pointer ``_db`` in it, and ``start()`` succeeds. The child then fails to unpickle that pointer
(``TypeError: object.__new__(_CDataBase) is not safe, use _CDataBase.__new__()``) and exits with
code 1 before ``run()``: the error moves from the parent's ``start()`` to the child's bootstrap, and
nothing ever arrives on the queue (seen on PyPy 7.3.11, 7.3.19 and 8.0.1). The scenario checks the
child's exit code before it reads the queue, and reads the child's error from its stderr: a child that
re-imports the script sends its stderr to a file named in the environment (which every child inherits,
Windows' included), not through an inherited fd 2, which a Windows spawn child may not have. An
open file fails in the parent as on CPython, worded ``cannot serialize '_io.TextIOWrapper' object``
(PyPy's ``_io`` is its own, in RPython:
https://github.com/pypy/pypy/tree/py3.11/pypy/module/_io).

On Windows a failed ``start()`` has already made its child: spawn there creates the process before it
pickles the Process object (``popen_spawn_win32.py``:75-77, then :94-95 in 3.11.7). The child re-imports
the script and exits with code 1 on the pickle that never came (``spawn.py`` ``_main``). The scenario
waits for each such child (``failed_start_children``: their exit codes; on win32 ``[1, 1]`` on CPython,
where both starts fail, ``[1]`` on PyPy, where only the file's does), so none outlives the cell.
"""

import os
import sqlite3
import sys
import tempfile
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_impl, by_method, by_platform, contains, since
from mpcheck.facts import children_of_failed_start, error_name, report

# --- observation only, not part of the user's code: when the parent asks, a child that re-imports
# this file sends its stderr to a file, so the parent can read why the child died. ---
# (fd 2 for what the interpreter writes itself, sys.stderr for tracebacks: it may be None on Windows)
if os.environ.get("CAPTURE_STDERR_TO"):
    sys.stderr = open(os.environ["CAPTURE_STDERR_TO"], "a", encoding="utf-8")  # noqa: SIM115
    os.dup2(sys.stderr.fileno(), 2)

EXPECT = Expect(
    facts={
        "connection_in_init_error": by_method(fork=None, default=by_impl(pypy=None, default="TypeError")),
        "connection_in_init_message": by_method(
            fork=None, default=by_impl(pypy=None, default=contains("cannot pickle 'sqlite3.Connection' object"))
        ),
        "connection_in_init_exitcode": by_method(fork=0, default=by_impl(pypy=1, default=None)),
        "connection_in_init_child_error": by_method(
            fork=None,
            default=by_impl(
                pypy=contains("TypeError: object.__new__(_CDataBase) is not safe, use _CDataBase.__new__()"),
                default=None,
            ),
        ),
        "connection_in_init_result": by_method(fork=42, default=None),
        "file_in_init_error": by_method(fork=None, default="TypeError"),
        "file_in_init_message": by_method(
            fork=None,
            default=by_impl(
                pypy=contains("cannot serialize '_io.TextIOWrapper' object"),
                default=since(
                    "3.12",
                    contains("cannot pickle 'TextIOWrapper' instances"),
                    contains("cannot pickle '_io.TextIOWrapper' object"),
                ),
            ),
        ),
        "open_in_run_results": [42, "written in the child"],
        # win32: spawn makes the child before pickling (see the docstring); each exits 1 on the missing pickle
        "failed_start_children": by_platform(win32=by_impl(pypy=[1], default=[1, 1]), default=[]),
    }
)


class Query(Process):
    def __init__(self, database, queue):
        super().__init__()
        self.db = sqlite3.connect(database)  # the pitfall: opened in the parent  # sanitize: MP108  # lint: MP108
        self.queue = queue

    def run(self):
        self.queue.put(self.db.execute("select 6 * 7").fetchone()[0])


class Writer(Process):
    def __init__(self, path):
        super().__init__()
        self.out = open(path, "a")  # noqa: SIM115 - the pitfall: opened in the parent  # sanitize: MP108  # lint: MP108

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


def start_and_join(process, orphans):
    """(error type, message) of start(), or (None, None) once the child has run. The exit codes of the
    children a failed start had already made (Windows) are added to ``orphans``, once they have ended."""
    try:
        process.start()
    except Exception as exc:
        print(f"{type(process).__name__}.start() -> {exc!r}")
        orphans.extend(children_of_failed_start(exc))
        return error_name(exc), str(exc)
    process.join(30)
    return None, None


def written(path):
    with open(path) as fh:
        return fh.read().strip() or None


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "app.db")
        captured = os.path.join(tmp, "child-stderr.txt")
        os.environ["CAPTURE_STDERR_TO"] = captured  # set before any child (and the forkserver) starts
        queue = Queue()
        orphans = []

        query = Query(database, queue)
        connection_error, connection_message = start_and_join(query, orphans)
        try:
            with open(captured, encoding="utf-8", errors="replace") as fh:
                child_lines = [line for line in fh.read().splitlines() if line.strip()]
        except FileNotFoundError:  # no child re-imported this file
            child_lines = []
        # A child that died before run() never puts: read the queue only after a clean exit.
        connection_result = queue.get(timeout=30) if query.exitcode == 0 else None
        child_error = child_lines[-1] if query.exitcode not in (0, None) and child_lines else None
        print(f"Query: exit code {query.exitcode}, child error: {child_error}")
        query.db.close()

        writer = Writer(os.path.join(tmp, "in-init.txt"))
        file_error, file_message = start_and_join(writer, orphans)
        writer.out.close()

        start_and_join(QueryInRun(database, queue), orphans)
        in_run_path = os.path.join(tmp, "in-run.txt")
        start_and_join(WriterInRun(in_run_path), orphans)
        in_run = [queue.get(timeout=30), written(in_run_path)]

    report(
        connection_in_init_error=connection_error,
        connection_in_init_message=connection_message,
        connection_in_init_exitcode=query.exitcode,
        connection_in_init_child_error=child_error,
        connection_in_init_result=connection_result,
        file_in_init_error=file_error,
        file_in_init_message=file_message,
        open_in_run_results=in_run,
        failed_start_children=orphans,
    )
