"""mpcheck.sanitize.pickling: what a spawn start would pickle, judged with the process package's own pickler.
multiprocess (dill) carries lambdas and local functions by value, so a local target is no hazard there
(issue 34: 14 wrong MP101 on wrapt_timeout_decorator's suite, which passes under every method); what even
that pickler cannot carry (a generator) still is."""

from __future__ import annotations

import multiprocessing.context
import multiprocessing.reduction
import pickle
import sys
import types
from pathlib import Path
from typing import Any, ClassVar, Dict

from mpcheck.sanitize import pickling


def _rebuild(name: str) -> str:
    return name


class ByValue(pickle._Pickler):
    """A stand-in for dill's pickler: a function travels by value (here, by its name: enough to dump)."""

    def save_function(self, obj: Any) -> None:
        if obj is _rebuild:
            self.save_global(obj)  # type: ignore[attr-defined]  # (the rebuilding function, by name)
        else:
            self.save_reduce(_rebuild, (obj.__qualname__,), obj=obj)  # type: ignore[attr-defined]

    dispatch: ClassVar[Dict[Any, Any]] = {**pickle._Pickler.dispatch, types.FunctionType: save_function}


ByValue.__module__ = "dill._dill"


class ForkingPickler(ByValue):
    pass


def local_target() -> Any:
    def work() -> None:
        pass

    return work


def problem(reduction: Any, obj: Any) -> Any:
    return pickling._pickle_problem(obj, reduction, multiprocessing.context)


def test_a_by_reference_pickler_flags_a_local_function() -> None:
    found = problem(multiprocessing.reduction, local_target())
    assert found is not None and "local to a function" in found[1]


def test_a_by_value_pickler_is_not_second_guessed() -> None:
    reduction = types.ModuleType("fakeprocesses.reduction")
    reduction.ForkingPickler = ForkingPickler  # type: ignore[attr-defined]
    assert pickling._by_value(ForkingPickler) and not pickling._by_value(multiprocessing.reduction.ForkingPickler)
    assert problem(reduction, local_target()) is None
    found = problem(reduction, (x for x in range(3)))  # what it cannot carry, dump() itself says
    assert found is not None and "generator" in found[1]


def test_the_package_pickler_is_asked_by_name(monkeypatch: Any) -> None:
    fake = types.ModuleType("fakeprocesses.reduction")
    fake.ForkingPickler = ForkingPickler  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fakeprocesses.reduction", fake)
    assert pickling.pickles_by_value("fakeprocesses")
    assert not pickling.pickles_by_value("multiprocessing")
    assert not pickling.pickles_by_value("nothing_here")


class ModuleLevel(multiprocessing.Process):
    pass


def test_a_local_process_subclass_is_mp101_unless_its_pickler_carries_it_by_value(monkeypatch: Any) -> None:
    """The process object pickles with its class, by name (pexpect's ``class Closed_stdin_proc(Process)``
    inside a test): a local class is MP101 at its ``class`` line; not where the package's pickler carries it
    by value; a module-level subclass is no hazard."""
    reported: list = []
    monkeypatch.setattr(
        pickling, "report", lambda code, where, evidence, start: reported.append((code, where, evidence))
    )

    class Local(multiprocessing.Process):  # the line reported
        pass

    pickling.check_pickling(Local(), "multiprocessing", ("t.py", 1))
    ((code, where, evidence),) = reported
    line = next(n for n, text in enumerate(Path(__file__).read_text().splitlines(), 1) if "# the line reported" in text)
    assert (code, where) == ("MP101", (__file__, line))
    assert "the process's class" in evidence and "local to a function" in evidence
    reported.clear()
    pickling.check_pickling(ModuleLevel(), "multiprocessing", ("t.py", 1))
    assert reported == []
    fake = types.ModuleType("fakeprocesses.reduction")
    fake.ForkingPickler = ForkingPickler  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fakeprocesses.reduction", fake)
    monkeypatch.setitem(sys.modules, "fakeprocesses.context", multiprocessing.context)
    pickling.check_pickling(Local(), "fakeprocesses", ("t.py", 1))
    assert [c for c, _, _ in reported if c == "MP101"] == []
