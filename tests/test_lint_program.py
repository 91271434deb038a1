"""``mpcheck lint`` over a tree as one program: wrapper libraries and what they pickle with, contexts pinned
to fork, an executor a mixin's ``setUp`` makes in another module. Each shape broken and fixed."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Dict, Set, Tuple

import pytest

from mpcheck.lint.api import SourceFile, check_program


def lint_tree(tmp_path: Path, files: Dict[str, str]) -> Set[Tuple[str, int, str]]:
    sources = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        sources.append(SourceFile(path, path.read_bytes()))
    report = check_program(sources, None, [tmp_path])
    assert not report.errors
    return {(Path(f.path).name, f.line, f.code) for f in report.findings}


WRAPPER_LAMBDA = """\
    from {module} import {pool}

    def main():
        with {pool}({size}) as pool:
            return pool.map(lambda x: x * 2, range(4))

    if __name__ == "__main__":
        main()
"""


@pytest.mark.parametrize(
    ("module", "pool", "flagged"),
    [
        ("multiprocessing", "Pool", True),  # pickle: a lambda fails under every method
        ("billiard", "Pool", True),  # celery's fork of multiprocessing pickles with pickle
        ("multiprocess", "Pool", False),  # dill
        ("pathos.multiprocessing", "ProcessPool", False),  # dill
    ],
)
def test_a_lambda_task_is_flagged_only_where_the_library_pickles_with_pickle(tmp_path, module, pool, flagged):
    found = lint_tree(tmp_path, {"prog.py": WRAPPER_LAMBDA.format(module=module, pool=pool, size=2)})
    assert found == ({("prog.py", 5, "MP101")} if flagged else set())


def test_loky_and_joblib_carry_local_functions(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "prog.py": """\
                from joblib import Parallel, delayed
                from loky import get_reusable_executor

                def main():
                    def square(x):
                        return x * x
                    print(Parallel(n_jobs=2)(delayed(square)(i) for i in range(4)))
                    print(list(get_reusable_executor(2).map(square, range(4))))

                if __name__ == "__main__":
                    main()
            """
        },
    )
    assert found == set()


def test_a_wrapper_pool_started_at_import_time_is_mp102(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "prog.py": """\
                from pathos.multiprocessing import ProcessPool

                pool = ProcessPool(nodes=2)
                print(pool.map(str, range(4)))
            """,
            "fixed.py": """\
                from pathos.multiprocessing import ProcessPool

                if __name__ == "__main__":
                    pool = ProcessPool(nodes=2)
                    print(pool.map(str, range(4)))
            """,
        },
    )
    assert found == {("prog.py", 4, "MP102")}


def test_a_context_pinned_to_fork_never_pickles_a_processs_target_but_does_a_pools_tasks(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "prog.py": """\
                import multiprocessing as mp

                def main():
                    ctx = mp.get_context("fork")
                    def inner():
                        print("hi")
                    p = ctx.Process(target=inner)
                    p.start()
                    p.join()
                    with ctx.Pool(2) as pool:
                        pool.map(lambda x: x, range(3))
                    q = mp.get_context("spawn").Process(target=inner)
                    q.start()
                    q.join()

                if __name__ == "__main__":
                    main()
            """
        },
    )
    assert found == {("prog.py", 11, "MP101"), ("prog.py", 12, "MP101")}


MIXIN = """\
    from concurrent.futures import ProcessPoolExecutor


    class ExecutorMixin:
        def setUp(self):
            self.executor = ProcessPoolExecutor(2)

        def tearDown(self):
            self.executor.shutdown()
"""


@pytest.mark.parametrize("local", [True, False])
def test_a_local_function_submitted_to_an_executor_a_mixin_makes_in_another_module(tmp_path, local):
    task = "        def square(x):\n            return x * x\n\n" if local else ""
    test = (
        "import unittest\n\nfrom helpers import ExecutorMixin\n"
        + ("" if local else "\n\ndef square(x):\n    return x * x\n")
        + "\n\nclass TestWork(ExecutorMixin, unittest.TestCase):\n    def test_local(self):\n"
        + task
        + "        self.assertEqual(self.executor.submit(square, 3).result(), 9)\n"
    )
    found = lint_tree(tmp_path, {"helpers.py": MIXIN, "test_work.py": test})
    line = test.splitlines().index("        self.assertEqual(self.executor.submit(square, 3).result(), 9)") + 1
    assert found == ({("test_work.py", line, "MP101")} if local else set())


JOIN_BEFORE_DRAIN = """\
    from multiprocessing import Process, Queue


    def produce(q):
    {body}


    if __name__ == "__main__":
        q = Queue()
        p = Process(target=produce, args=(q,))
        p.start()
        p.join()
        print(q.get())
"""


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("    q.put(b'x' * 1_000_000)", True),  # more than any pipe holds
        ("    for i in range(100_000):\n        q.put(i)", True),  # a put in a loop: no bound from the code
        ("    q.put(compute())", True),  # a value of unknown size
        ("    q.put(1)", False),  # a few bytes: the feeder thread never blocks (luigi's, PyInstaller's tests)
        ("    q.put(len([1, 2]) == 2)", False),  # a bool
        ("    q.put((1, 'done', None))", False),
        # the interpreter's own lists: CPython's test_child_sys_path and preload tests put them, then join
        ("    q.put(tuple(sys.modules))", False),
        ("    q.put(sys.path)\n    try:\n        compute()\n    except ImportError as exc:\n        q.put(exc)", False),
        ("    q.put(list(range(100_000)))", True),  # a copy of something large
        (  # a name bound to a large list as well as to a caught exception
            "    exc = [0] * 100_000\n    try:\n        compute()\n    except ValueError as exc:\n"
            "        pass\n    q.put(exc)",
            True,
        ),
    ],
)
def test_join_before_drain_only_where_the_data_can_exceed_the_pipe(tmp_path, body, flagged):
    source = JOIN_BEFORE_DRAIN.format(body=body.replace("\n", "\n    "))
    found = lint_tree(tmp_path, {"prog.py": "import sys\n\n\ndef compute():\n    return 0\n\n" + dedent(source)})
    assert {code for _, _, code in found} == ({"MP114"} if flagged else set()), found


VALUE_UPDATE = """\
    import multiprocessing


    def work(running, mutex):
    {body}


    if __name__ == "__main__":
        running = multiprocessing.Value("i", 0)
        mutex = multiprocessing.Lock()
        procs = [multiprocessing.Process(target=work, args=(running, mutex)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
"""


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("    running.value += 1", True),
        ("    with running.get_lock():\n        running.value += 1", False),
        ("    mutex.acquire()\n    running.value += 1\n    mutex.release()", False),  # multiprocessing's examples
        ("    with mutex:\n        running.value += 1", False),
    ],
)
def test_a_value_update_under_any_lock_is_no_race(tmp_path, body, flagged):
    source = dedent(VALUE_UPDATE.format(body=body.replace("\n", "\n    ")))
    found = lint_tree(tmp_path, {"prog.py": source})
    assert {code for _, _, code in found} == ({"MP117"} if flagged else set()), found


def test_a_process_only_looked_at_is_never_started(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "test_flush.py": """\
                import unittest
                import multiprocessing


                class TestFlush(unittest.TestCase):
                    def test_truthy(self):
                        proc = multiprocessing.Process(target=lambda: None)  # billiard's test_flushing
                        self.assertTrue(proc)

                    def test_started(self):
                        proc = multiprocessing.Process(target=lambda: None)
                        proc.start()
                        proc.join()
            """
        },
    )
    assert found == {("test_flush.py", 11, "MP101")}


def test_a_pool_started_inside_a_thread_target_is_a_fork_with_threads_running(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "server.py": """\
                import multiprocessing
                import threading


                def work(x):
                    return x


                def serve():
                    with multiprocessing.Pool(2) as pool:
                        print(pool.map(work, range(3)))


                if __name__ == "__main__":
                    t = threading.Thread(target=serve)
                    t.start()
                    t.join()
            """,
            "fixed.py": """\
                import multiprocessing
                import threading


                def work(x):
                    return x


                def report():
                    print("done")


                if __name__ == "__main__":
                    with multiprocessing.Pool(2) as pool:  # the pool's workers are forked before any thread
                        print(pool.map(work, range(3)))
                    t = threading.Thread(target=report)
                    t.start()
                    t.join()
            """,
        },
    )
    assert found == {("server.py", 10, "MP112")}


def test_a_spawn_context_another_module_makes_never_forks_even_inside_a_thread(tmp_path):
    """parsl's shape: ``SpawnContext = multiprocessing.get_context("spawn")`` in a helper module, workers
    restarted by a watchdog thread."""
    found = lint_tree(
        tmp_path,
        {
            "helpers.py": """\
                import multiprocessing

                SpawnContext = multiprocessing.get_context("spawn")
            """,
            "pool.py": """\
                import threading

                from helpers import SpawnContext


                def work():
                    pass


                def start_worker():
                    p = SpawnContext.Process(target=work)
                    p.start()
                    return p


                def watchdog():
                    start_worker()


                if __name__ == "__main__":
                    t = threading.Thread(target=watchdog)
                    t.start()
                    t.join()
            """,
        },
    )
    assert found == set()
