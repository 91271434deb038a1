"""A test patches with unittest.mock, then starts children that run the patched code: airflow#8794's
DagFileProcessor child builds a DagBag whose collect_dags the test replaced (patch.object, as a context
manager), and a worker calls a function the test replaced through the decorator (patch("__main__.fetch")).
A fork child is a copy of the parent, patches included; a spawn or forkserver child imports the script
afresh and runs the originals (MP103). The patches exit before the last child starts: nothing there."""

import multiprocessing
import sys
from unittest import mock


def fetch():
    return "network"


class DagBag:
    def __init__(self, folder):
        self.dags = {}
        self.collect_dags(folder)

    def collect_dags(self, folder):
        self.dags[folder] = "parsed"


def parse(folder, out):
    out.put(sorted(DagBag(folder).dags.values()))


def download(out):
    out.put(fetch())


def run(target, *args):
    out = multiprocessing.Queue()
    p = multiprocessing.Process(target=target, args=(*args, out))
    p.start()
    got = out.get(timeout=30)
    p.join(30)
    return got


def fake_collect(self, folder):
    self.dags[folder] = "fake"


@mock.patch(f"{__name__}.fetch", return_value="cached")
def test_download(fetch_mock):
    return run(download)


if __name__ == "__main__":
    with mock.patch.object(DagBag, "collect_dags", fake_collect):  # sanitize: MP103
        print(run(parse, "dags"))
    print(test_download())  # sanitize: MP103
    print(run(parse, "dags"), file=sys.stderr)
