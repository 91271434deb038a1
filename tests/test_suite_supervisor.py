"""mpcheck.suite.supervisor: where a hung test hung, read from faulthandler's dump of every thread."""

from __future__ import annotations

import sysconfig

from mpcheck.suite.supervisor import _hang_frame

STDLIB = sysconfig.get_paths()["stdlib"]


def dump(main: list, other: list) -> str:
    def frames(rows: list) -> str:
        return "".join(f'  File "{path}", line {line} in {func}\n' for path, line, func in rows)

    return (
        "Thread 0x00007f0000000001 (most recent call first):\n" + frames(other) + "\n"
        "Current thread 0x00007f0000000002 (most recent call first):\n" + frames(main)
    )


def test_the_tests_own_line_even_when_the_first_thread_dumped_is_another():
    text = dump(
        main=[(f"{STDLIB}/threading.py", 1112, "join"), ("/p/tests/test_io.py", 20, "test_reads")],
        other=[(f"{STDLIB}/multiprocessing/connection.py", 384, "_recv"), (f"{STDLIB}/threading.py", 975, "run")],
    )
    assert _hang_frame(text, "tests/test_io.py::test_reads") == "tests/test_io.py, line 20 in test_reads"


def test_a_frame_in_another_thread_says_which_thread():
    text = dump(
        main=[(f"{STDLIB}/threading.py", 1112, "join")],
        other=[(f"{STDLIB}/multiprocessing/connection.py", 384, "_recv"), ("/p/tests/test_io.py", 12, "pump")],
    )
    assert _hang_frame(text, "tests/test_io.py::test_reads") == (
        "tests/test_io.py, line 12 in pump (thread 0x00007f0000000001, not the main thread)"
    )


def test_else_the_projects_own_code_before_the_standard_librarys():
    text = dump(
        main=[(f"{STDLIB}/multiprocessing/connection.py", 384, "_recv"), ("/p/src/app/jobs.py", 40, "wait_all")],
        other=[],
    )
    assert _hang_frame(text, "tests/test_io.py::test_reads") == "/p/src/app/jobs.py, line 40 in wait_all"
