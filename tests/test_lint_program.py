"""``mpcheck lint`` over a tree as one program: wrapper libraries and what they pickle with, contexts pinned
to fork, an executor a mixin's ``setUp`` makes in another module. Each shape broken and fixed."""

from __future__ import annotations

import json
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


def test_a_start_method_a_package_pins_when_imported(tmp_path):
    """easy-multiprocess calls ``set_start_method('fork')`` in a module its package ``__init__`` imports: a script
    that imports the package has its default context pinned to fork, so its executor at the top level is a fork
    pool (the script runs as shipped). A script that does not import it gets MP102."""
    pool_at_top = """\
        {imports}from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor() as executor:
            print(executor.submit(abs, -1).result())
    """
    found = lint_tree(
        tmp_path,
        {
            "easy/__init__.py": "from .easy import *\n",
            "easy/easy.py": """\
                import multiprocessing

                multiprocessing.set_start_method("fork")


                def parallelize(func):
                    return func
            """,
            "pinned.py": pool_at_top.format(imports="from easy import parallelize\n        "),
            "unpinned.py": pool_at_top.format(imports=""),
        },
    )
    assert found == {("unpinned.py", 4, "MP102")}


def test_a_patch_in_the_main_path_whose_every_child_a_fork_context_starts_in_another_module(tmp_path):
    """ppanggolin patches ``argparse.RawTextHelpFormatter`` in its ``main()``, and every subcommand's executor, in a
    module of its own, is given ``mp_context=get_context("fork")``: fork children are copies that have the patch
    (MP103 is silent). The default context's executor there: MP103."""
    launch = """\
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context


        def annotate_one(item):
            return str(item)


        def launch(items):
            with ProcessPoolExecutor(2, mp_context=get_context({method})) as executor:
                return list(executor.map(annotate_one, items))
    """
    main = """\
        import argparse
        import multiprocessing

        import {package}.annotate


        class Formatter(argparse.HelpFormatter):
            pass


        def main():
            argparse.RawTextHelpFormatter = Formatter
            {package}.annotate.launch(list(range(multiprocessing.cpu_count())))


        if __name__ == "__main__":
            main()
    """
    files = {}
    for package, method in (("forked", '"fork"'), ("default", "")):
        files[f"{package}/__init__.py"] = ""
        files[f"{package}/annotate/__init__.py"] = "from .annotate import launch\n"
        files[f"{package}/annotate/annotate.py"] = launch.format(method=method)
        files[f"{package}/{package}_main.py"] = main.format(package=package)
    assert lint_tree(tmp_path, files) == {("default_main.py", 17, "MP103")}


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
        ("    q.put(address())", False),  # the program's function returns a short tuple (fiber's test)
        ("    found = address()\n    q.put(found)", False),  # ... bound to a name first
        ("    found = address()\n    found = compute()\n    q.put(found)", True),  # ... and then to anything
        ("    q.put(1)", False),  # a few bytes: the feeder thread never blocks (luigi's, PyInstaller's tests)
        ("    q.put(len([1, 2]) == 2)", False),  # a bool
        ("    q.put((1, 'done', None))", False),
        # the interpreter's own lists: CPython's test_child_sys_path and preload tests put them, then join
        ("    q.put(tuple(sys.modules))", False),
        ("    q.put(sys.path)\n    try:\n        compute()\n    except ImportError as exc:\n        q.put(exc)", False),
        ("    q.put(list(range(100_000)))", True),  # a copy of something large
        # numba's tests: a bool and a traceback's text, or what a function lint cannot follow returns (run: the
        # join returns); a value of a size the code does not show is not taken for a large one
        ("    import traceback\n    q.put((False, traceback.format_exc()))", False),
        ("    q.put((True, jitted(1000)))", False),
        ("    import heavy\n    q.put(heavy.result())", False),  # a library's: its size is not in the code
        ("    q.put([i for i in range(int(sys.argv[1]))])", True),  # a comprehension
        ("    q.put(open(sys.argv[1]).read())", True),  # a file's whole text
        ("    out = []\n    for line in sys.stdin:\n        out.append(line)\n    q.put(out)", True),
        ("    q.put(b'x' * int(sys.argv[1]))", True),  # repeated a run-time number of times
        ("    q.put(b'x' * 100)", False),
        (  # a name bound to a large list as well as to a caught exception
            "    exc = [0] * 100_000\n    try:\n        compute()\n    except ValueError as exc:\n"
            "        pass\n    q.put(exc)",
            True,
        ),
    ],
)
def test_join_before_drain_only_where_the_data_can_exceed_the_pipe(tmp_path, body, flagged):
    source = JOIN_BEFORE_DRAIN.format(body=body.replace("\n", "\n    "))
    functions = (
        "import sys\n\n\ndef compute():\n    return list(range(int(sys.argv[1])))\n\n\n"
        "def address():\n    ip = '172.17.0.1'\n    return ip, 0, 'docker0'\n\n"
        "from numba import njit\n\n\n@njit\ndef jitted(n):\n    return n * 2\n\n"
    )
    found = lint_tree(tmp_path, {"prog.py": functions + dedent(source)})
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


CONSOLE_SCRIPT = """\
    [project]
    name = "crunch"
    version = "0.1"

    [project.scripts]
    crunch = "pkg.cli:main"
"""

CLI = """\
    from multiprocessing import Pool

    from pkg.logconf import setup_logging
    from pkg.work import crunch


    def main():
        setup_logging()
        with Pool(2{initializer}) as pool:
            print(pool.map(crunch, range(3)))
"""

LOGCONF = """\
    import logging


    def setup_logging():
        logging.basicConfig(level=logging.INFO, format="%(processName)s %(message)s")
"""

WORK = """\
    import logging

    log = logging.getLogger(__name__)


    def crunch(x):
    {body}
        log.info("crunching %s", x)
        return x * 2
"""


@pytest.mark.parametrize(
    ("variant", "flagged"),
    [
        ("broken", True),
        ("the worker configures logging itself", False),
        ("the pool's initializer configures it", False),
        ("the package configures it on import", False),
        ("no entry point names main()", False),
    ],
)
def test_logging_set_up_in_another_module_by_a_console_script_entry_point(tmp_path, variant, flagged):
    """The program starts from ``crunch = pkg.cli:main`` (no main block anywhere): ``main()`` configures
    logging through a helper module, the pool's task logs from a third module. Run for real (pip install,
    then ``crunch``): under fork the workers' records are written, under spawn and forkserver none is."""
    if variant != "no entry point names main()":
        (tmp_path / "pyproject.toml").write_text(dedent(CONSOLE_SCRIPT), encoding="utf-8")
    body = "    if not logging.getLogger().handlers:\n        setup_logging()"
    files = {
        "pkg/__init__.py": "import logging\nlogging.basicConfig(level=logging.INFO)\n"
        if variant == "the package configures it on import"
        else "",
        "pkg/cli.py": CLI.format(
            initializer=", initializer=setup_logging" if variant == "the pool's initializer configures it" else ""
        ),
        "pkg/logconf.py": LOGCONF,
        "pkg/work.py": WORK.format(body=body if variant == "the worker configures logging itself" else "").replace(
            "import logging\n", "import logging\n\nfrom pkg.logconf import setup_logging\n", 1
        )
        if variant == "the worker configures logging itself"
        else WORK.format(body=""),
    }
    found = lint_tree(tmp_path, files)
    assert found == ({("cli.py", 8, "MP105")} if flagged else set())


def test_set_start_method_at_import_time_in_a_console_scripts_module(tmp_path):
    """``crunch = pkg.cli:main`` whose module sets the method in its top-level code, and no main block: the
    spawn child runs the console script's wrapper again, which imports ``pkg.cli`` again (run for real:
    every pool worker dies with "context has already been set", and the pool starts new ones for ever)."""
    cli = """\
        from multiprocessing import Pool, set_start_method

        from pkg.work import crunch

        set_start_method("spawn")


        def main():
            with Pool(2) as pool:
                print(pool.map(crunch, range(3)))
    """
    fixed = cli.replace('\n        set_start_method("spawn")\n', "\n").replace(
        "        def main():\n", '        def main():\n            set_start_method("spawn")\n'
    )
    for name in ("broken", "fixed", "no entry point"):
        (tmp_path / name).mkdir()
        if name != "no entry point":
            (tmp_path / name / "pyproject.toml").write_text(dedent(CONSOLE_SCRIPT), encoding="utf-8")
    files = {"pkg/__init__.py": "", "pkg/work.py": WORK.format(body="")}
    assert lint_tree(tmp_path / "broken", {**files, "pkg/cli.py": cli}) == {("cli.py", 5, "MP113")}
    assert lint_tree(tmp_path / "fixed", {**files, "pkg/cli.py": fixed}) == set()
    assert lint_tree(tmp_path / "no entry point", {**files, "pkg/cli.py": cli}) == set()


METHOD_TARGET = """\
    from multiprocessing import Process, Queue


    class Crawler:
        def __init__(self):
            self.results = Queue()

        def crawl(self):
            for page in range(100_000):
                self.results.put(page)

        def run(self):
            worker = Process(target=self.crawl)
            worker.start()
{order}
            return items
"""

SUBCLASS_TARGET = """\
    from multiprocessing import Process, Queue


    class Producer(Process):
        def __init__(self, queue):
            super().__init__()
            self.queue = queue

        def run(self):
            for i in range(100_000):
                self.queue.put(i)


    if __name__ == "__main__":
        q = Queue()
        p = Producer(q)
        p.start()
{order}
"""

OUTSIDE_RECEIVER = """\
    from multiprocessing import Process, Queue


    class Crawler:
        def __init__(self):
            self.results = Queue()

        def crawl(self):
            for page in range(100_000):
                self.results.put(page)


    if __name__ == "__main__":
        crawler = Crawler()
        p = Process(target=crawler.crawl)
        p.start()
{order}
"""


@pytest.mark.parametrize(
    ("program", "proc", "queue", "indent"),
    [
        (METHOD_TARGET, "worker", "self.results", "        "),
        (SUBCLASS_TARGET, "p", "q", "    "),
        (OUTSIDE_RECEIVER, "p", "crawler.results", "    "),
    ],
    ids=["a method filling self.results", "a Process subclass's run filling its queue", "another object's method"],
)
@pytest.mark.parametrize("drained_first", [False, True], ids=["join first", "drained first"])
def test_join_before_drain_when_the_target_is_a_method(tmp_path, program, proc, queue, indent, drained_first):
    """Run for real with ``join(5)`` in place of ``join()``: under every method the join does not return
    while 100,000 items wait in the child's queue."""
    join = f"    {indent}{proc}.join()"  # the templates' own indent, then the block's
    drain = f"    {indent}items = [{queue}.get() for _ in range(100_000)]"
    text = program.format(order="\n".join([drain, join] if drained_first else [join, drain]))
    found = lint_tree(tmp_path, {"prog.py": text})
    line = dedent(text).splitlines().index(join[4:]) + 1
    assert found == (set() if drained_first else {("prog.py", line, "MP114")})


@pytest.mark.parametrize(
    ("pool", "flagged"),
    [("mp.Pool(2)", True), ('mp.get_context("spawn").Pool(2)', False), ('mp.get_context("forkserver").Pool(2)', False)],
)
def test_a_thread_whose_target_is_another_modules_function_that_starts_a_pool(tmp_path, pool, flagged):
    """The script names no process library: its thread runs ``jobs.run``, which starts a pool. Run for real on
    3.12+ under fork: DeprecationWarning "This process ... is multi-threaded, use of fork() may lead to
    deadlocks in the child" (the main thread is alive, waiting in ``join()``)."""
    found = lint_tree(
        tmp_path,
        {
            "jobs.py": f"""\
                import multiprocessing as mp


                def run():
                    with {pool} as pool:
                        print(pool.map(str, range(3)))
            """,
            "main.py": """\
                import threading

                import jobs

                if __name__ == "__main__":
                    t = threading.Thread(target=jobs.run)
                    t.start()
                    t.join()
            """,
        },
    )
    assert found == ({("jobs.py", 5, "MP112")} if flagged else set())


def test_a_start_inside_a_thread_target_counts_only_when_it_happens_every_run(tmp_path):
    """luigi's shape: its worker, run in a thread by most of its tests, forks a task process only when
    configured with several processes."""
    found = lint_tree(
        tmp_path,
        {
            "worker.py": """\
                import multiprocessing


                def work():
                    pass


                class Worker:
                    def __init__(self, processes=1):
                        self.processes = processes

                    def run(self):
                        if self.processes > 1:
                            p = multiprocessing.Process(target=work)
                            p.start()
                            p.join()
                        else:
                            work()
            """,
            "test_worker.py": """\
                import threading

                from worker import Worker


                def test_in_a_thread():
                    w = Worker()
                    t = threading.Thread(target=w.run)
                    t.start()
                    t.join()
            """,
        },
    )
    assert found == set()


def test_a_wrapper_whose_process_a_factory_makes_from_a_spawn_context(tmp_path):
    """uvicorn's shape: its supervisor, run in a thread by its tests, starts wrappers whose process
    ``get_subprocess()`` makes from ``multiprocessing.get_context("spawn")``: nothing is forked."""
    files = {
        "subprocess_.py": """\
            import multiprocessing

            spawn = multiprocessing.get_context("{method}")


            def serve():
                pass


            def get_subprocess():
                return spawn.Process(target=serve)
        """,
        "supervisor.py": """\
            import threading
            from multiprocessing import Pipe

            from subprocess_ import get_subprocess


            class Supervisor:
                def __init__(self):
                    self.parent_conn, self.child_conn = Pipe()
                    self.process = get_subprocess()

                def run(self):
                    self.process.start()
                    self.process.join()


            if __name__ == "__main__":
                supervisor = Supervisor()
                t = threading.Thread(target=supervisor.run)
                t.start()
                t.join()
        """,
    }
    spawn = {name: text.replace("{method}", "spawn") for name, text in files.items()}
    fork = {name: text.replace("{method}", "fork") for name, text in files.items()}
    assert lint_tree(tmp_path / "spawn", spawn) == set()
    assert lint_tree(tmp_path / "fork", fork) == {("supervisor.py", 13, "MP112")}


REUSED_NAME_BODY = [
    "q = Queue()",
    "procs = []",
    "for i in range(4):",
    "    p = Process(target=produce, args=(q,))",
    "    p.start()",
    "    procs.append(p)",
    "{drain_first}",
    "for p in procs:",
    "    p.join()",
    "{drain_after}",
]


@pytest.mark.parametrize(
    ("guarded", "drained_first", "expected"),
    [
        (False, False, {(13, "MP102"), (17, "MP114")}),
        (False, True, {(13, "MP102")}),
        (True, False, {(18, "MP114")}),
        (True, True, set()),
    ],
)
def test_a_name_reused_by_a_second_loop_hides_no_start(tmp_path, guarded, drained_first, expected):
    """One loop starts the processes as ``p``, a second loop joins them as ``p`` again: the starts are
    still seen (at import time without the main guard: MP102) and so is the join before the drain."""
    drain = "results = [q.get() for _ in range(400_000)]"
    body = [
        line.format(drain_first=drain if drained_first else "", drain_after="" if drained_first else drain)
        for line in REUSED_NAME_BODY
    ]
    head = (
        "from multiprocessing import Process, Queue\n\n\n"
        "def produce(q):\n    for i in range(100_000):\n        q.put(i)\n\n\n"
    )
    if guarded:
        text = head + 'if __name__ == "__main__":\n' + "\n".join("    " + line for line in body) + "\n"
    else:
        text = head + "\n".join(body) + "\n"
    found = lint_tree(tmp_path, {"prog.py": text})
    assert {(line, code) for _, line, code in found} == expected


ENV_FIXED = """\
import os
from multiprocessing import Process, set_start_method


def work(token):
    print("token", token)


if __name__ == "__main__":
    set_start_method("forkserver")
    first = Process(target=work, args=("none",))
    first.start()
    first.join()
    os.environ["API_TOKEN"] = "secret"
    second = Process(target=work, args=(os.environ["API_TOKEN"],))
    second.start()
    second.join()
"""
#: the child reads the variable itself, and the parent forwards nothing
ENV_BROKEN = ENV_FIXED.replace(
    "def work(token):\n", 'def work(token=None):\n    token = os.environ.get("API_TOKEN")\n'
).replace('Process(target=work, args=(os.environ["API_TOKEN"],))', "Process(target=work)")

SIG_FIXED = """\
import signal
from multiprocessing import Pool


def init_worker():
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def on_term(signum, frame):
    print("parent shutting down")


def square(x):
    return x * x


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    with Pool(2, initializer=init_worker) as pool:
        print(pool.map(square, range(4)))
"""
#: the same pool without its initializer: the workers keep the parent's handler
SIG_BROKEN = SIG_FIXED.replace("Pool(2, initializer=init_worker)", "Pool(2)")


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        (ENV_BROKEN, {(15, "MP106")}),  # run: the second child prints "token None"
        (ENV_FIXED, set()),  # run: "token secret", handed over as an argument
        (SIG_BROKEN, {(18, "MP107")}),
        (SIG_FIXED, set()),  # the pool's initializer sets SIGTERM back to its default in each worker
    ],
    ids=["environ read by the child", "environ value forwarded", "handler inherited", "handler reset"],
)
def test_fixed_twins_that_forward_the_value_or_reset_the_handler_are_silent(tmp_path, program, expected):
    found = lint_tree(tmp_path, {"prog.py": program})
    assert {(line, code) for _, line, code in found} == expected


THREADS_ENDED = """\
import threading
import multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor


def spin():
    pass


def work(x):
    return x


def main():
    threads = [threading.Thread(target=spin) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with mp.Pool(2) as pool:
        pool.map(work, range(3))
    ex = ThreadPoolExecutor(2)
    ex.submit(spin)
    ex.shutdown()
    with mp.Pool(2) as pool:
        pool.map(work, range(3))
    with ThreadPoolExecutor(2) as ex2:
        ex2.submit(spin)
    p = mp.Process(target=work, args=(1,))
    p.start()
    p.join()
    timer = threading.Timer(0.1, spin)
    timer.start()
    timer.cancel()
    timer.join()
    q = mp.Process(target=work, args=(1,))
    q.start()
    q.join()


if __name__ == "__main__":
    main()
"""


def test_no_thread_runs_at_any_fork_once_each_is_joined_shut_down_or_cancelled(tmp_path):
    """The fixed twin of a thread at a fork: threads joined in a loop, a thread pool shut down or left
    by its ``with``, a timer cancelled and joined, before each start."""
    assert lint_tree(tmp_path, {"prog.py": THREADS_ENDED}) == set()


# --- the start method decided by a context made elsewhere (issue 29) ----------------------------------------
HELPER_LAUNCH = """\
    import multiprocessing
    import sys

    METHOD = "spawn"
    PROCS = []


    def work(n):
        print("child", n)


    def launch(n):
        ctx = {context}
        p = ctx.Process(target=work, args=(n,))
        p.start()
        PROCS.append(p)
"""
MAIN_WITH_THREAD = """\
    import multiprocessing
    import threading

    import helper
    from helper import launch


    def tick():
        pass


    if __name__ == "__main__":
        t = threading.Thread(target=tick)
        t.start()
        launch(1)
        helper.PROCS[0].join()
        t.join()
"""


@pytest.mark.parametrize(
    ("context", "flagged"),
    [
        ('multiprocessing.get_context("spawn")', False),  # never forked: the thread cannot be lost
        ('multiprocessing.get_context("fork")', True),
        ("multiprocessing.get_context()", True),  # the default context: fork on Linux before 3.14
        ("multiprocessing.get_context(METHOD)", False),  # a module constant naming spawn
        ("multiprocessing.get_context(sys.argv[1])", False),  # cannot be read: silent
    ],
)
def test_a_child_a_helper_of_another_module_starts_is_mp112_only_when_it_may_fork(tmp_path, context, flagged):
    found = lint_tree(tmp_path, {"helper.py": HELPER_LAUNCH.format(context=context), "main.py": MAIN_WITH_THREAD})
    assert found == ({("main.py", 15, "MP112")} if flagged else set())


def test_a_context_held_in_an_attribute_decides_the_method(tmp_path):
    found = lint_tree(
        tmp_path,
        {
            "test_server.py": """\
                import multiprocessing
                import threading
                import unittest


                def work():
                    pass


                class TestServer(unittest.TestCase):
                    def setUp(self):
                        self.ctx = multiprocessing.get_context("spawn")
                        self.fork_ctx = multiprocessing.get_context("fork")

                    def test_run(self):
                        t = threading.Thread(target=print)
                        t.start()
                        self.ctx.Process(target=work).start()
                        self.fork_ctx.Process(target=work).start()
                        t.join()
            """
        },
    )
    assert found == {("test_server.py", 19, "MP112")}


FACTORY = """\
    import multiprocessing

    CTX = multiprocessing.get_context("{method}")


    def make(target, *args):
        return CTX.Process(target=target, args=args)
"""
FACTORY_USER = """\
    import multiprocessing

    from factory import make


    def main():
        def job(q, n):
            q.put(n)

        q = multiprocessing.Queue()
        p = make(job, q, 1)
        p.start()
        print(q.get())
        p.join()


    if __name__ == "__main__":
        main()
"""


@pytest.mark.parametrize(("method", "flagged"), [("fork", False), ("spawn", True)])
def test_a_target_handed_to_a_factory_pinned_to_fork_is_never_pickled(tmp_path, method, flagged):
    """Run: under the fork factory the program prints 1; under spawn it fails (Can't pickle local object)."""
    found = lint_tree(tmp_path, {"factory.py": FACTORY.format(method=method), "main.py": FACTORY_USER})
    assert found == ({("main.py", 11, "MP101")} if flagged else set())


@pytest.mark.parametrize(("conftest", "flagged"), [("", True), ('multiprocessing.set_start_method("spawn")', False)])
def test_a_conftest_that_pins_the_method_decides_the_default_context(tmp_path, conftest, flagged):
    found = lint_tree(
        tmp_path,
        {
            "tests/conftest.py": f"import multiprocessing\n\n\ndef pytest_configure(config):\n    {conftest or 'pass'}\n",  # noqa: E501
            "tests/test_work.py": """\
                import multiprocessing
                import threading


                def work():
                    pass


                def test_work():
                    t = threading.Thread(target=print)
                    t.start()
                    p = multiprocessing.Process(target=work)
                    p.start()
                    p.join()
                    t.join()
            """,
        },
    )
    assert found == ({("test_work.py", 13, "MP112")} if flagged else set())


ENTRY_PIN_CLI = """\
    import multiprocessing

    from pkg.work import run_all


    def main():
        {pin}
        run_all()
"""

ENTRY_PIN_WORK = """\
    import threading
    from multiprocessing import Process


    def job():
        print("job")


    def watch():
        child = Process(target=job)
        child.start()
        child.join()


    def run_all():
        def local():
            print("local")

        watcher = threading.Thread(target=watch)
        watcher.start()
        watcher.join()
        p = Process(target=local)
        p.start()
        p.join()
"""


@pytest.mark.parametrize(
    ("pin", "found"),
    [
        ("pass", {("work.py", 11, "MP112"), ("work.py", 22, "MP101")}),
        ('multiprocessing.set_start_method("spawn")', {("work.py", 22, "MP101")}),
        ('multiprocessing.set_start_method("fork")', {("work.py", 11, "MP112")}),
    ],
)
def test_a_console_script_that_pins_the_method_decides_the_default_context(tmp_path, pin, found):
    """``crunch = pkg.cli:main`` whose ``main()`` calls ``set_start_method()`` first, as a conftest.py does
    for tests: the modules it runs start their children with that method. Run for real (the wrapper pip
    writes for ``crunch``, on 3.12): pinned to spawn, the child started in the thread is not forked and the
    local target fails to pickle; pinned to fork, the local target runs and the child started in the thread
    is forked from a multi-threaded process (DeprecationWarning)."""
    (tmp_path / "pyproject.toml").write_text(dedent(CONSOLE_SCRIPT), encoding="utf-8")
    files = {
        "pkg/__init__.py": "",
        "pkg/cli.py": ENTRY_PIN_CLI.format(pin=pin),
        "pkg/work.py": ENTRY_PIN_WORK,
    }
    assert lint_tree(tmp_path, files) == found


def test_a_console_script_of_a_project_inside_the_folder_linted_is_an_entry_path(tmp_path):
    """A folder of unpacked projects linted as one tree (``mpcheck lint .``): each project's own
    ``pyproject.toml`` names its console scripts (trafilatura's ``trafilatura = "trafilatura.cli:main"``,
    whose module names no process library itself: its pool is made by a helper module). Under spawn and
    forkserver the workers' records are dropped (the logging test above runs this shape for real)."""
    project = tmp_path / "crunch-0.1"
    project.mkdir()
    (project / "pyproject.toml").write_text(dedent(CONSOLE_SCRIPT), encoding="utf-8")
    pipeline = """\
        from multiprocessing import Pool

        from pkg.work import crunch


        def run():
            with Pool(2) as pool:
                print(pool.map(crunch, range(3)))
    """
    cli = """\
        from pkg.logconf import setup_logging
        from pkg.pipeline import run


        def main():
            setup_logging()
            run()
    """
    files = {
        "crunch-0.1/pkg/__init__.py": "",
        "crunch-0.1/pkg/cli.py": cli,
        "crunch-0.1/pkg/pipeline.py": pipeline,
        "crunch-0.1/pkg/logconf.py": LOGCONF,
        "crunch-0.1/pkg/work.py": WORK.format(body=""),
    }
    assert lint_tree(tmp_path, files) == {("cli.py", 6, "MP105")}


# --- rule maturity: preview rules (issue 29) ---------------------------------------------------------------
@pytest.mark.usefixtures("mp101_alone_in_preview")
def test_a_preview_rule_is_off_by_default_and_on_with_preview_or_its_own_code(tmp_path, monkeypatch, capsys):
    from mpcheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "prog.py").write_text(
        'from multiprocessing import Process\nif __name__ == "__main__":\n    Process(target=lambda: 1).start()\n'
    )

    def codes(*args: str) -> Set[str]:
        main(["lint", "--format", "json", *args, "prog.py"])
        found = {finding["code"] for finding in json.loads(capsys.readouterr().out)["findings"]}
        return found & {"MP101", "MP102"}

    assert codes() == set()  # preview: off by default
    assert codes("--preview") == {"MP101"}
    assert codes("--select", "MP101") == {"MP101"}  # selected by its own code
    assert codes("--select", "MP1") == set()  # a prefix selects no preview rule...
    assert codes("--select", "MP1", "--preview") == {"MP101"}  # ...unless preview is on
    (tmp_path / "pyproject.toml").write_text("[tool.mpcheck.lint]\npreview = true\n")
    assert codes() == {"MP101"}
    (tmp_path / "pyproject.toml").write_text('[tool.mpcheck.lint]\npreview = "yes"\n')
    assert main(["lint", "prog.py"]) == 2


def test_only_the_trees_the_rules_read_stay_alive(tmp_path):
    """Memory: a file that names no process library is parsed, counted, and let go; a module a child's
    function reaches is parsed when the model needs it and kept; findings through it are unchanged."""
    files = {
        "unrelated.py": "def f():\n    return 1\n",
        "broken_unrelated.py": "def f(:\n",
        "helper.py": "import atexit\n\n\ndef work():\n    atexit.register(print)\n",
        "main.py": (
            "import multiprocessing\n\nfrom helper import work\n\n"
            'if __name__ == "__main__":\n    multiprocessing.Process(target=work).start()\n'
        ),
    }
    sources = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        sources.append(SourceFile(tmp_path / name, text.encode()))
    report = check_program(sources, None, [tmp_path])
    by_name = {s.path.name: s for s in sources}
    assert by_name["unrelated.py"].tree is None and by_name["unrelated.py"].parse_failure is None
    assert report.skipped == [by_name["broken_unrelated.py"].shown]
    assert by_name["helper.py"].tree is not None and by_name["main.py"].tree is not None
    assert {(Path(f.path).name, f.line, f.code) for f in report.findings} == {("helper.py", 5, "MP111")}


REGISTRY_LIBRARY = {
    "tasklib/__init__.py": """\
        TASKS = {}
        HOOKS = []
        def task(func):
            TASKS[func.__name__] = func
            return func
        def hook(name):
            def register(func):
                HOOKS.append((name, func))
                return func
            return register
        def run(name, x):
            return TASKS[name](x) if name in TASKS else "missing"
        def hooks(_):
            return [name for name, _ in HOOKS]
    """,
    "tasklib/jobs.py": """\
        from tasklib import hook, task
        @task
        def double(x):
            return 2 * x
        @hook("after")
        def after(result):
            return result
    """,
}


def test_a_registry_that_a_module_imported_only_in_the_main_block_fills(tmp_path):
    """Run by hand: fork prints 6 [['after']], spawn and forkserver missing [[]] (the worker never imports
    tasklib.jobs); the fixed program prints 6 [['after']] 6 6 under every method."""
    broken = """\
        from multiprocessing import Pool
        from tasklib import hooks, run
        if __name__ == "__main__":
            import tasklib.jobs  # noqa: F401
            with Pool(1) as pool:
                print(pool.apply(run, ("double", 3)), pool.map(hooks, [0]))
    """
    fixed = """\
        import importlib
        import multiprocessing
        from multiprocessing import Pool
        from tasklib import hooks, run
        def load():
            importlib.import_module("tasklib.jobs")
        if __name__ == "__main__":
            import tasklib.jobs  # noqa: F401
            with Pool(1, initializer=load) as pool:  # every worker imports the tasks
                print(pool.apply(run, ("double", 3)), pool.map(hooks, [0]))
            with Pool(1, initializer=importlib.import_module, initargs=("tasklib.jobs",)) as pool:
                print(pool.apply(run, ("double", 3)))
            with multiprocessing.get_context("fork").Pool(1) as pool:  # a fork worker is a copy of the parent
                print(pool.apply(run, ("double", 3)))
    """
    on_import = """\
        from multiprocessing import Process
        import tasklib.jobs  # noqa: F401  # imported on import: a spawn child's re-import of the script too
        from tasklib import run
        if __name__ == "__main__":
            import tasklib.jobs  # noqa: F401
            p = Process(target=run, args=("double", 3))
            p.start()
            p.join()
    """
    found = lint_tree(tmp_path, {**REGISTRY_LIBRARY, "broken.py": broken, "fixed.py": fixed, "on_import.py": on_import})
    assert found == {("broken.py", 4, "MP103")}


def test_a_registry_that_a_test_module_fills_on_import(tmp_path):
    """pytest imports the test module in the parent; a spawn or forkserver child imports only the modules of
    what it runs. Run by hand on tests/data/suite_projects/mutated/test_registry.py (this shape): 2 passed
    under fork, test_worker_runs_a_registered_task failed under spawn and forkserver."""
    test_module = """\
        import multiprocessing
        from multiprocessing import Process
        from tasklib import TASKS, run, task

        @task
        def double(x):
            return 2 * x

        def run_here(name, x):
            assert TASKS[name](x) == 2 * x

        def test_worker_runs_a_registered_task():
            p = Process(target=run, args=("double", 3))
            p.start()
            p.join()
            assert p.exitcode == 0

        def test_worker_of_this_module_runs_it():  # its child imports this module: the table is filled
            p = Process(target=run_here, args=("double", 3))
            p.start()
            p.join()
            assert p.exitcode == 0

        def test_a_fork_worker():  # a copy of the parent
            p = multiprocessing.get_context("fork").Process(target=run, args=("double", 3))
            p.start()
            p.join()
            assert p.exitcode == 0
    """
    found = lint_tree(tmp_path, {**REGISTRY_LIBRARY, "test_registry.py": test_module})
    assert found == {("test_registry.py", 13, "MP103")}


def test_a_handler_or_sink_a_fixture_adds_before_its_yield(tmp_path):
    """MP105 along a test: what the fixtures it asks for set up before their yield runs first. Run with pytest
    under each method: 5 passed under fork; test_named_logger and test_loguru failed under spawn and forkserver
    (their sink got nothing), the three others passed (no level: fork drops INFO too; the child sets its sink
    up; a fork child)."""
    test_module = """\
        import logging
        import multiprocessing
        from multiprocessing import Process

        import pytest
        from loguru import logger

        log = logging.getLogger("jobs")


        def work_std():
            log.info("from the child")


        def work_loguru():
            logger.info("from the child")


        def work_sets_up(path):
            logger.remove()
            logger.add(path, format="{message}", level="INFO")
            logger.info("from the child")


        @pytest.fixture
        def std_sink(tmp_path):
            path = tmp_path / "std.log"
            handler = logging.FileHandler(path)
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            yield path
            log.removeHandler(handler)
            handler.close()
            log.setLevel(logging.NOTSET)


        @pytest.fixture
        def std_sink_no_level(tmp_path):
            path = tmp_path / "std.log"
            handler = logging.FileHandler(path)
            log.addHandler(handler)
            yield path
            log.removeHandler(handler)
            handler.close()


        @pytest.fixture
        def loguru_sink(tmp_path):
            path = tmp_path / "loguru.log"
            handler_id = logger.add(str(path), format="{message}", level="INFO")
            yield path
            logger.remove(handler_id)


        def start_and_join(target, *args):
            p = Process(target=target, args=args)
            p.start()
            p.join()
            assert p.exitcode == 0


        def test_named_logger(std_sink):
            start_and_join(work_std)
            assert std_sink.read_text() == "from the child\\n"


        def test_loguru(loguru_sink):
            start_and_join(work_loguru)
            assert loguru_sink.read_text() == "from the child\\n"


        def test_no_level_drops_under_fork_too(std_sink_no_level):
            start_and_join(work_std)
            assert std_sink_no_level.read_text() == ""


        def test_child_sets_up_its_sink(loguru_sink):
            start_and_join(work_sets_up, str(loguru_sink))
            assert loguru_sink.read_text() == "from the child\\n"


        def test_fork_child(std_sink):
            p = multiprocessing.get_context("fork").Process(target=work_std)
            p.start()
            p.join()
            assert std_sink.read_text() == "from the child\\n"
    """
    found = lint_tree(tmp_path, {"test_fx.py": test_module})
    assert found == {("test_fx.py", 29, "MP105"), ("test_fx.py", 50, "MP105")}


def test_a_file_on_disk_keeps_its_bytes_only_while_a_model_needs_them(tmp_path):
    """Memory: the bytes of a file that gets no model are let go with its tree (what the rules ask of its
    text is kept as flags); a module that names multiprocessing without importing a process library is
    modelled to learn that and let go, and built again, the same, when a later module asks for it."""
    files = {
        "a_notes.py": '"""Helpers for the multiprocessing runner."""\nimport atexit\n\n\ndef work():\n'
        "    atexit.register(print)\n",
        "b_notes.py": '"""Nothing here starts a multiprocessing child."""\n\n\ndef unused():\n    return 2\n',
        "helper.py": "def setUp():\n    return 1\n",
        "unrelated.py": "import helper\n",
        "main.py": (
            "import multiprocessing\n\nfrom a_notes import work\n\n"
            'if __name__ == "__main__":\n    multiprocessing.Process(target=work).start()\n'
        ),
    }
    sources = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        sources.append(SourceFile(tmp_path / name, text.encode(), on_disk=True))
        sources[-1].drop_source()
    by_name = {s.path.name: s for s in sources}
    report = check_program(sources, None, [tmp_path])
    assert {(Path(f.path).name, f.line, f.code) for f in report.findings} == {("a_notes.py", 6, "MP111")}
    assert by_name["a_notes.py"].tree is not None and by_name["a_notes.py"].has_model  # built again
    b_notes = by_name["b_notes.py"]
    assert (b_notes.tree, b_notes.has_model, b_notes.modelled, b_notes._source) == (None, False, False, None)
    for name in ("unrelated.py", "helper.py"):
        assert by_name[name].tree is None and by_name[name]._source is None
    assert by_name["helper.py"].facts == (False, True, False)  # learnt before its bytes went
    assert by_name["main.py"].source == files["main.py"].encode()
    unsaved = SourceFile(tmp_path / "main.py", b"import os\n")  # not on disk (an editor's buffer): kept
    unsaved.drop_source()
    assert unsaved.source == b"import os\n"


def test_every_name_of_a_process_library_holds_a_trigger():
    """SourceFile.facts searches MENTIONS_RE only in files TRIGGERS_RE matches."""
    from mpcheck.lint import names

    alternatives = names.MENTIONS_RE.pattern.decode().split("(?:")[1].split(")")[0].split("|")
    assert "joblib" in alternatives
    for name in [*alternatives, *names.PROCESS_LIBRARIES]:
        text = name.replace("\\", "").encode()
        assert names.TRIGGERS_RE.search(text) or not names.MENTIONS_RE.search(text), name


MESON_SCRIPT = """\
import argparse
from concurrent.futures import ProcessPoolExecutor

from pkg.cmdline import register_builtin_arguments


def run_test(_):
    return register_builtin_arguments()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("method")
    options = parser.parse_args()
    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(run_test, 0).result())
"""


@pytest.mark.parametrize("own_global", [False, True], ids=["another module's global", "the module's own global"])
def test_a_global_of_the_same_name_in_another_module_is_not_the_one_the_main_block_sets(tmp_path, own_global):
    """meson's run_project_tests.py: the main block sets the script's ``options``; the child reads
    ``pkg.cmdline``'s ``options``, the module that one imports, the same under every method (run under the
    three: ['prefix'] each time). Where the child's function reads the script's own global, it is flagged
    (run: fork prints it, spawn and forkserver raise NameError)."""
    cmdline = "from . import options\n\n\ndef register_builtin_arguments():\n    return sorted(options.BUILTIN)\n"
    script = MESON_SCRIPT
    if own_global:
        script = script.replace("return register_builtin_arguments()", "return options.method")
    found = lint_tree(
        tmp_path,
        {
            "run_tests.py": script,
            "pkg/__init__.py": "",
            "pkg/cmdline.py": cmdline,
            "pkg/options.py": 'BUILTIN = {"prefix": "/usr"}\n',
        },
    )
    assert found == ({("run_tests.py", 14, "MP103")} if own_global else set())


def test_a_table_of_a_test_module_changed_in_place_by_a_test(tmp_path):
    """Run with pytest: 3 passed under fork; test_child_sees_the_settings failed under spawn and forkserver
    (assert 1 == 5), the others passed (the child applies the settings itself; a fork child)."""
    test_module = """\
        import multiprocessing
        import unittest
        from multiprocessing import Process, Queue

        SETTINGS = {"retries": 1}
        SEEN = []


        def read(q):
            q.put((SETTINGS["retries"], list(SEEN)))


        def read_and_apply(q, settings):
            SETTINGS.update(settings)
            q.put((SETTINGS["retries"], list(SEEN)))


        def test_child_sees_the_settings():
            SETTINGS["retries"] = 5
            q = Queue()
            p = Process(target=read, args=(q,))
            p.start()
            assert q.get(timeout=30)[0] == 5
            p.join()


        def test_child_applies_them_itself():
            SETTINGS["retries"] = 5
            q = Queue()
            p = Process(target=read_and_apply, args=(q, {"retries": 5}))
            p.start()
            assert q.get(timeout=30)[0] == 5
            p.join()


        class TestSeen(unittest.TestCase):
            def setUp(self):
                SEEN.append("setup")

            def test_fork_child(self):
                q = multiprocessing.Queue()
                p = multiprocessing.get_context("fork").Process(target=read, args=(q,))
                p.start()
                self.assertEqual(q.get(timeout=30)[1], ["setup"])
                p.join()
    """
    found = lint_tree(tmp_path, {"test_tables.py": test_module})
    assert found == {("test_tables.py", 19, "MP103")}


def test_a_project_no_other_asks_for_is_let_go_once_it_is_linted(tmp_path):
    """Memory: a tree of several projects (each under its own metadata) is linted one project at a time;
    the models and trees of a project whose modules no other project's asked for are let go when it is
    done, and a module another project asks for afterwards is built again: the findings are unchanged."""
    main = (
        "import multiprocessing\n\nfrom {helper} import work\n\n"
        'if __name__ == "__main__":\n    multiprocessing.Process(target=work).start()\n'
    )
    helper = "import atexit\n\n\ndef work():\n    atexit.register(print)\n"
    files = {
        "a/pyproject.toml": "[project]\nname = 'a'\n",
        "a/a_main.py": main.format(helper="a_helper"),
        "a/a_helper.py": helper,
        "b/setup.py": "",
        "b/b_main.py": main.format(helper="b_helper"),
        "b/b_helper.py": helper,
        "c/setup.cfg": "",
        "c/c_main.py": main.format(helper="a_helper"),  # another project's module, asked for after a is done
    }
    sources = []
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
        if name.endswith(".py"):
            sources.append(SourceFile(tmp_path / name, text.encode(), on_disk=True))
    by_name = {s.path.name: s for s in sources}
    report = check_program(sources, None, [tmp_path])
    assert not report.errors
    found = {(Path(f.path).name, f.line, f.code) for f in report.findings}
    assert found == {("a_helper.py", 5, "MP111"), ("b_helper.py", 5, "MP111")}
    for name in ("a_main.py", "b_main.py", "b_helper.py", "c_main.py"):  # let go with their projects
        assert not by_name[name].has_model and by_name[name].tree is None, name
    assert by_name["a_helper.py"].has_model  # built again for c, and kept: another project asked for it


def test_a_project_whose_module_another_project_asks_for_is_kept(tmp_path):
    """Memory, and no stale model: a module of the project being linted that another project's model asks
    for (here while the first project is linted) keeps its project: the other project's model holds it."""
    files = {
        "c/setup.py": "",
        "c/c_main.py": (
            "import multiprocessing\n\nfrom e_mod import run\n\n"
            'if __name__ == "__main__":\n    multiprocessing.Process(target=run).start()\n'
        ),
        "c/c_helper.py": "import atexit\n\n\ndef work():\n    atexit.register(print)\n",
        "e/setup.py": "",
        "e/e_mod.py": "from c_helper import work\n\n\ndef run():\n    work()\n",
        "f/setup.py": "",
        "f/f_main.py": "import multiprocessing\n\n\ndef main():\n    multiprocessing.Process(target=print).start()\n",
    }
    sources = []
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
        if name.endswith(".py") and not name.endswith("setup.py"):
            sources.append(SourceFile(tmp_path / name, text.encode(), on_disk=True))
    by_name = {s.path.name: s for s in sources}
    report = check_program(sources, None, [tmp_path])
    assert {(Path(f.path).name, f.line, f.code) for f in report.findings} == {("c_helper.py", 5, "MP111")}
    assert by_name["e_mod.py"].has_model and by_name["c_helper.py"].has_model  # kept: asked across projects
    assert not by_name["f_main.py"].has_model  # let go: no other project asked for it


PYNGUIN_CLI = """\
import logging
import sys

from pkg.orchestrator import run


def main():
    logging.basicConfig(level=logging.INFO)
    return run()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
"""
PYNGUIN_ORCHESTRATOR = """\
import multiprocessing as mp

from pkg.worker import worker_main

_START_METHOD = "{method}"


def run():
    p = mp.get_context(_START_METHOD).Process(target=worker_main)
    p.start()
    p.join()
"""
PYNGUIN_WORKER = """\
import logging

_LOGGER = logging.getLogger(__name__)


def worker_main():
    _LOGGER.info("worker started")
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_logging_configured_in_main_for_a_child_another_module_pins_to_fork(tmp_path, method):
    """pynguin's shape: the main block configures logging, and the only child is started in another module
    through ``get_context(_START_METHOD)``, a module constant naming fork: the fork child has the parent's
    handler under every default (run with fork, spawn and forkserver set in the main block: the worker's INFO
    record is printed each time). Where the constant names spawn, the record is lost: MP105."""
    found = lint_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/cli.py": PYNGUIN_CLI,
            "pkg/orchestrator.py": PYNGUIN_ORCHESTRATOR.replace("{method}", method),
            "pkg/worker.py": PYNGUIN_WORKER,
        },
    )
    assert found == (set() if method == "fork" else {("cli.py", 16, "MP105")})  # at the call of main()


def test_mp103_an_attribute_of_the_programs_own_module_counts_only_where_a_child_reads_it(tmp_path):
    """bakta's shape (tenth corpus): ``main()`` sets ``cfg.prefix`` on the program's own config module for its
    output files, and its executor's tasks, in another module, never read it: the same result under the three
    methods (run). A task that reads it (as an attribute, or through a function of the config module that reads
    its global) is flagged; a library's module (``socket.socket``) stays counted without a read lint can see."""
    config = """\
        prefix = None
        threads = 2
        def output_name(name):
            return f"{prefix}-{name}"
    """
    tasks = """\
        import cfg
        def filter_sorf(chunk, known):
            return [s for s in chunk if s not in known]
        def named(chunk):
            return [cfg.output_name(s) for s in chunk]
        def prefixed(chunk):
            return [f"{cfg.prefix}{s}" for s in chunk]
    """
    main = """\
        import concurrent.futures as cf
        import socket
        import sys
        import cfg
        import tasks
        def main():
            cfg.prefix = sys.argv[1]
            with cf.ProcessPoolExecutor(max_workers=cfg.threads) as executor:
                executor.submit(tasks.filter_sorf, ["a"], ["b"]).result()
        if __name__ == "__main__":
            main()
    """
    found = lint_tree(tmp_path / "unread", {"cfg.py": config, "tasks.py": tasks, "main.py": main})
    assert found == set()
    for task in ("named", "prefixed"):
        shape = main.replace('tasks.filter_sorf, ["a"], ["b"]', f'tasks.{task}, ["a"]')
        assert shape != main
        found = lint_tree(tmp_path / task, {"cfg.py": config, "tasks.py": tasks, "main.py": shape})
        assert found == {("main.py", 11, "MP103")}, task
    patched = main.replace("cfg.prefix = sys.argv[1]", "socket.socket = object")
    assert lint_tree(tmp_path / "library", {"cfg.py": config, "tasks.py": tasks, "main.py": patched}) == {
        ("main.py", 11, "MP103")
    }
    # read by the pool's initializer only: a spawn or forkserver worker's initializer sees the module unpatched
    initializer = tasks.rstrip() + "\n        def announce():\n            print(cfg.prefix)\n"
    shape = main.replace("max_workers=cfg.threads)", "max_workers=cfg.threads, initializer=tasks.announce)")
    assert shape != main
    found = lint_tree(tmp_path / "initializer", {"cfg.py": config, "tasks.py": initializer, "main.py": shape})
    assert found == {("main.py", 11, "MP103")}


def test_mp103_a_global_set_in_a_function_another_module_calls_unless_the_project_pins_a_method(tmp_path):
    """losoto's ``run()`` sets a global, then starts a Pool whose tasks read it; its scripts call it. Where
    another file of the project names ``set_start_method`` (a script that pins fork before it calls ``run()``),
    lint does not follow the pin back to the function and says nothing."""
    lib = """\
        import multiprocessing as mp
        DATA = None
        def task(i):
            return DATA[i]
        def run(values):
            global DATA
            DATA = values
            with mp.Pool(2) as pool:
                return pool.map(task, range(len(values)))
    """
    script = """\
        import multiprocessing as mp
        import lib
        if __name__ == "__main__":
            {pin}
            print(lib.run([1, 2]))
    """
    files = {"pyproject.toml": "[project]\nname = 'x'\n", "lib.py": lib}
    assert lint_tree(tmp_path / "a", {**files, "main.py": script.format(pin="pass")}) == {("lib.py", 7, "MP103")}
    pinned = script.format(pin='mp.set_start_method("fork")')
    assert lint_tree(tmp_path / "b", {**files, "main.py": pinned}) == set()


def test_mp102_a_module_of_the_tests_folder_another_file_imports_is_not_a_script(tmp_path):
    """multirunnable's ``tests/unit_test/init.py`` makes a Manager() on import, for the test modules that import
    it: pytest's __main__ is what a spawn child re-imports, so no child imports it while it starts up. A file of
    the tests folder that nothing imports is a script run on its own: a spawn child re-imports it."""
    support = """\
        import multiprocessing as mp
        SHARED = mp.Manager().list()
    """
    test = """\
        from unit_test.init import SHARED
        def test_shared():
            SHARED.append(1)
    """
    tree = {"pyproject.toml": "[project]\nname = 'x'\n", "tests/unit_test/init.py": support}
    assert lint_tree(tmp_path / "a", {**tree, "tests/test_shared.py": test}) == set()
    assert lint_tree(tmp_path / "b", tree) == {("init.py", 2, "MP102")}
    # run as ``pytest tests/unit_test/init.py``
    holds_tests = dedent(support) + "def test_shared():\n    SHARED.append(1)\n"
    assert lint_tree(tmp_path / "c", {**tree, "tests/unit_test/init.py": holds_tests}) == set()


def test_mp102_in_a_module_of_a_package_says_who_imports_it_not_to_add_a_guard(tmp_path):
    """multirunnable's ``parallel/share.py`` makes a Manager() on import: not a script, so "outside `if __name__
    == '__main__':`" is no advice there (evaluator C); a script keeps it."""
    files = {
        "pkg/__init__.py": "",
        "pkg/share.py": "import multiprocessing as mp\nMANAGER = mp.Manager()\n",
        "script.py": "import multiprocessing as mp\nMANAGER = mp.Manager()\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    sources = [SourceFile(tmp_path / n, (tmp_path / n).read_bytes()) for n in files]
    messages = {Path(f.path).name: f.message for f in check_program(sources, None, [tmp_path]).findings}
    assert messages["share.py"].startswith("a Manager starts when this module is imported: a spawn or forkserver")
    assert messages["script.py"] == "a Manager starts at import time, outside `if __name__ == '__main__':`"


def test_a_name_bound_to_a_partial_of_itself_is_analysed(tmp_path):
    """jupyterhub's ``orm.py``: ``utcnow = partial(utcnow, with_tz=False)`` calls the ``utcnow`` it imported.
    Following the partial back to the same name recursed until RecursionError ("cannot analyse"); the partial
    is followed once, then the name's binding before it."""
    files = {
        "helpers.py": "def utcnow(with_tz=True):\n    return with_tz\n",
        "app.py": """\
            from concurrent.futures import ProcessPoolExecutor
            from functools import partial
            from helpers import utcnow
            utcnow = partial(utcnow, with_tz=False)
            if __name__ == "__main__":
                with ProcessPoolExecutor(1) as ex:
                    print(ex.submit(utcnow).result())
        """,
    }
    assert lint_tree(tmp_path, files) == set()
