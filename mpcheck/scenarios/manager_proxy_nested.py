"""A Manager dict shares top-level updates, but appending to a list stored in it is lost.

``d["k"]`` on a ``DictProxy`` returns a *copy* of the value, pickled out of the manager process;
``d["k"].append(x)`` changes that copy and nothing else. Assigning back (``d["k"] = lst``) or storing
a nested proxy (``d["k"] = manager.list()``, supported since 3.6) makes the change visible. The
same under every start method: the data lives in the manager's server process either way.
"""

from multiprocessing import Manager, Process

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "top_level": {"count": 1, "name": "child"},
        "nested_append": [],
        "reassigned": [1],
        "nested_proxy": [1],
        "exitcode": 0,
    }
)


def worker(d):
    d["count"] = 1
    d["name"] = "child"
    d["plain"].append(1)  # appends to a temporary copy
    items = d["fixed"]
    items.append(1)
    d["fixed"] = items  # write the whole value back
    d["proxy"].append(1)  # a ListProxy forwards the call to the manager


if __name__ == "__main__":
    with Manager() as manager:
        d = manager.dict()
        d["plain"] = []
        d["fixed"] = []
        d["proxy"] = manager.list()
        p = Process(target=worker, args=(d,))
        p.start()
        p.join()
        print(f"parent sees {d!r}")
        report(
            top_level={"count": d.get("count"), "name": d.get("name")},
            nested_append=d["plain"],
            reassigned=d["fixed"],
            nested_proxy=list(d["proxy"]),
            exitcode=p.exitcode,
        )
