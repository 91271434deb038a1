"""A test patches with unittest.mock, then starts a child that runs the patched code: only a fork child sees it.

Test suites replace what would reach a network, a disk or a slow parser with ``mock.patch`` and then run the
code under test, which often starts processes (airflow#8794: the scheduler's DagFileProcessor child builds a
``DagBag`` whose ``collect_dags`` the test had patched; the test passed under fork only, and was pinned to it).
A fork child is a copy of the parent, the patches included. A spawn or forkserver child imports the module
afresh and runs the originals: the fake is silently gone, and the child does the real work. Handing the child
the fake itself (a module-level class, an argument) makes all three methods agree.
"""

import multiprocessing
from unittest import mock

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "child_runs_patched_method": by_method(fork=True, default=False),
        "child_runs_patched_function": by_method(fork=True, default=False),
        "with_the_fake_handed_over": True,
    }
)


def fetch():
    return "network"


class DagBag:
    def __init__(self, folder):
        self.dags = {}
        self.collect_dags(folder)

    def collect_dags(self, folder):
        self.dags[folder] = "parsed"


class FakeDagBag(DagBag):
    def collect_dags(self, folder):
        self.dags[folder] = "fake"


def fake_collect(self, folder):
    self.dags[folder] = "fake"


def parse(conn, folder):
    conn.send(DagBag(folder).dags[folder] == "fake")


def parse_with(conn, folder, dagbag_class):
    conn.send(dagbag_class(folder).dags[folder] == "fake")


def download(conn):
    conn.send(fetch() == "cached")


def in_child(target, *args):
    here, there = multiprocessing.Pipe()
    p = multiprocessing.Process(target=target, args=(there, *args))
    p.start()
    seen = here.recv()
    p.join()
    return seen


@mock.patch(f"{__name__}.fetch", return_value="cached")
def test_download(fetch_mock):
    return in_child(download)


if __name__ == "__main__":
    with mock.patch.object(DagBag, "collect_dags", fake_collect):  # sanitize: MP103
        patched_method = in_child(parse, "dags")
    patched_function = test_download()  # sanitize: MP103
    handed_over = in_child(parse_with, "dags", FakeDagBag)
    print(f"the child runs the patched method: {patched_method}, the patched function: {patched_function}")
    print(f"with the fake handed over as an argument: {handed_over}")
    report(
        child_runs_patched_method=patched_method,
        child_runs_patched_function=patched_function,
        with_the_fake_handed_over=handed_over,
    )
