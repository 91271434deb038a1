"""Expectations: what a scenario's facts must be, per start method, platform, Python version, implementation
and build (free-threaded or with the GIL).

A scenario declares one ``EXPECT = Expect(...)`` beside its code, built from the helpers here.
Resolving it for a (method, platform, version, implementation) runs nothing, so the win32 and darwin
tables, and PyPy's, can be checked on Linux with CPython. This module is imported by every cell: it
must stay stdlib-only and cheap.

Versions: :func:`since` compares the Python *language* version (``sys.version_info``) on every
implementation, so ``since("3.14", ...)`` means the same on CPython and PyPy. Where a PyPy release
changed something of its own (its pickle, a fix in its copy of the stdlib), :func:`pypy_since` compares
PyPy's own version (``sys.pypy_version_info``); it is only meaningful under ``by_impl(pypy=...)``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

# The start methods, platforms and implementations are mpcheck.methods' (re-exported: the scenario language).
from .methods import (
    AVAILABLE,
    IMPLEMENTATIONS,
    METHODS,
    PLATFORMS,
    SERVER_PRELOADS_MAIN,
    Change,
    default_method,
    platform_here,
)

# Not ``from typing import TYPE_CHECKING``: typing (and json, imported where used) would cost every
# cell and every spawn child milliseconds; mypy treats this name as true all the same.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple, Union

    Version = Tuple[int, ...]


def platform_name() -> str:
    """``sys.platform`` as the tables above name it (``linux``, ``darwin``, ``win32``)."""
    return platform_here()


def implementation() -> Tuple[str, Version]:
    """This interpreter: ``("cpython", sys.version_info[:3])`` or ``("pypy", sys.pypy_version_info[:3])``.

    The version is the implementation's own (PyPy 8.0.1 implements Python 3.11); for CPython the two
    are the same. Another implementation (GraalPy...) is named as it names itself, with its language
    version: :func:`judged_as` says whose expectations apply to it.
    """
    name = sys.implementation.name
    own = getattr(sys, "pypy_version_info", None) if name == "pypy" else None
    return name, tuple((own or sys.version_info)[:3])


def is_free_threaded() -> bool:
    """Whether this CPython is a free-threaded build (``python3.14t``, ``--disable-gil``), whether or not the
    GIL was enabled again at run time (``PYTHON_GIL=1``, an extension module): the build, not the state."""
    abiflags = getattr(sys, "abiflags", None)  # POSIX: "t" in a free-threaded build's ABI flags
    if abiflags is not None:
        return "t" in abiflags
    import sysconfig  # Windows before 3.14 has no sys.abiflags

    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def judged_as(impl: str) -> str:
    """The implementation whose expectations apply: a known one its own, any other CPython's."""
    return impl if impl in IMPLEMENTATIONS else "cpython"


class ExpectationError(ValueError):
    """A declaration that cannot be resolved (a malformed EXPECT)."""


def parse_version(text: Union[str, Version]) -> Version:
    """``"3.11.5"`` -> ``(3, 11, 5)``; a tuple passes through."""
    if isinstance(text, tuple):
        return text
    try:
        parts = tuple(int(p) for p in str(text).split("."))
    except ValueError:
        raise ExpectationError(f"bad version {text!r}: expected like '3.12' or '3.11.5'") from None
    if not 1 <= len(parts) <= 3:
        raise ExpectationError(f"bad version {text!r}: expected like '3.12' or '3.11.5'")
    return parts


class Where:
    """The coordinates an expectation is resolved at.

    ``version`` is the Python language version; ``impl`` the implementation (``cpython``, ``pypy``)
    and ``impl_version`` its own version (PyPy's ``sys.pypy_version_info``; None: not known, which
    only :func:`pypy_since` needs); ``free_threaded`` whether the build is free-threaded (``3.14t``).
    """

    __slots__ = ("free_threaded", "impl", "impl_version", "method", "platform", "version")

    def __init__(
        self,
        method: str,
        platform: str,
        version: Version,
        impl: str = "cpython",
        impl_version: Optional[Version] = None,
        free_threaded: bool = False,
    ) -> None:
        self.method = method
        self.platform = platform
        self.version = version
        self.impl = impl
        self.impl_version = impl_version
        self.free_threaded = free_threaded


class Rule:
    """A value that depends on where it is resolved."""

    def resolve(self, where: Where) -> Any:
        raise NotImplementedError


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


class _ByAxis(Rule):
    """A value per key of one axis of :class:`Where` (its start method, platform or implementation)."""

    name = ""  # the helper's name, for messages
    axis = ""  # the Where field
    keys: Tuple[str, ...] = ()
    kind = ""  # what a key is, for messages

    def __init__(self, default: Any = _MISSING, **values: Any) -> None:
        unknown = set(values) - set(self.keys)
        if unknown:
            raise ExpectationError(f"{self.name}: unknown {self.kind}(s) {sorted(unknown)}")
        self.values = values
        self.default = default

    def resolve(self, where: Where) -> Any:
        key = getattr(where, self.axis)
        value = self.values.get(key, self.default)
        if value is _MISSING:
            raise ExpectationError(f"{self.name} has no value for {key!r} and no default")
        return resolve_value(value, where)

    def __repr__(self) -> str:
        return f"{self.name}({self.values!r}, default={self.default!r})"


class ByMethod(_ByAxis):
    name, axis, keys, kind = "by_method", "method", METHODS, "start method"


class ByPlatform(_ByAxis):
    name, axis, keys, kind = "by_platform", "platform", PLATFORMS, "platform"


class ByImpl(_ByAxis):
    name, axis, keys, kind = "by_impl", "impl", IMPLEMENTATIONS, "implementation"


class Since(Rule):
    """``then`` from ``version`` on (patch level allowed), ``before`` on older Pythons."""

    def __init__(self, version: str, then: Any, before: Any) -> None:
        self.version = parse_version(version)
        self.then = then
        self.before = before

    def resolve(self, where: Where) -> Any:
        chosen = self.then if where.version >= self.version else self.before
        return resolve_value(chosen, where)

    def __repr__(self) -> str:
        return f"since({'.'.join(map(str, self.version))!r}, {self.then!r}, {self.before!r})"


class PypySince(Rule):
    """``then`` from PyPy release ``version`` on, ``before`` on older PyPys (PyPy's own version)."""

    def __init__(self, version: str, then: Any, before: Any) -> None:
        self.version = parse_version(version)
        self.then = then
        self.before = before

    def resolve(self, where: Where) -> Any:
        if where.impl != "pypy":
            raise ExpectationError(
                f"{self!r} resolved for {where.impl}: PyPy's own version means nothing there "
                "(put it under by_impl(pypy=...))"
            )
        if where.impl_version is None:
            raise ExpectationError(f"{self!r} needs PyPy's own version (sys.pypy_version_info), and none was given")
        chosen = self.then if where.impl_version >= self.version else self.before
        return resolve_value(chosen, where)

    def __repr__(self) -> str:
        return f"pypy_since({'.'.join(map(str, self.version))!r}, {self.then!r}, {self.before!r})"


class FreeThreaded(Rule):
    """``then`` on a free-threaded build (``3.14t``), ``otherwise`` on a build with the GIL."""

    def __init__(self, then: Any, otherwise: Any) -> None:
        self.then = then
        self.otherwise = otherwise

    def resolve(self, where: Where) -> Any:
        return resolve_value(self.then if where.free_threaded else self.otherwise, where)

    def __repr__(self) -> str:
        return f"free_threaded({self.then!r}, {self.otherwise!r})"


def by_method(default: Any = _MISSING, **per_method: Any) -> ByMethod:
    """A value per start method: ``by_method(fork=0, default=1)``."""
    return ByMethod(default, **per_method)


def by_platform(default: Any = _MISSING, **per_platform: Any) -> ByPlatform:
    """A value per platform (``linux``, ``darwin``, ``win32``)."""
    return ByPlatform(default, **per_platform)


def by_impl(default: Any = _MISSING, **per_impl: Any) -> ByImpl:
    """A value per implementation (``cpython``, ``pypy``): ``by_impl(pypy="pickle.PicklingError", default=...)``."""
    return ByImpl(default, **per_impl)


def since(version: str, then: Any, before: Any) -> Since:
    """A value that changed in a Python release (the language version, on every implementation)."""
    return Since(version, then, before)


class When(Rule):
    """``then`` in the Pythons that have a :class:`mpcheck.methods.Change`, ``before`` in the others."""

    def __init__(self, change: Change, then: Any, before: Any) -> None:
        self.change = change
        self.then = then
        self.before = before

    def resolve(self, where: Where) -> Any:
        return resolve_value(self.then if self.change.at(where.version) else self.before, where)

    def __repr__(self) -> str:
        return f"when({self.change!r}, {self.then!r}, {self.before!r})"


class DefaultIs(Rule):
    """``then`` where ``method`` is the platform's default start method in that Python, else ``otherwise``."""

    def __init__(self, method: str, then: Any, otherwise: Any) -> None:
        if method not in METHODS:
            raise ExpectationError(f"default_is: unknown start method {method!r}")
        self.method = method
        self.then = then
        self.otherwise = otherwise

    def resolve(self, where: Where) -> Any:
        chosen = self.then if default_method(where.platform, where.version) == self.method else self.otherwise
        return resolve_value(chosen, where)

    def __repr__(self) -> str:
        return f"default_is({self.method!r}, {self.then!r}, {self.otherwise!r})"


class DefaultMethod(Rule):
    """The platform's default start method in that Python (:func:`mpcheck.methods.default_method`)."""

    def resolve(self, where: Where) -> Any:
        return default_method(where.platform, where.version)

    def __repr__(self) -> str:
        return "default_start_method()"


def when(change: Change, then: Any, before: Any) -> When:
    """A value that depends on a behaviour of :mod:`mpcheck.methods` that changed with a Python release:
    ``when(methods.CHILDREN_RUN_ATEXIT, True, False)``. The versions are written there, once."""
    return When(change, then, before)


def server_preloads_main(then: Any, before: Any) -> When:
    """A value that depends on whether the fork server imports ``__main__`` itself before it forks children
    (:data:`mpcheck.methods.SERVER_PRELOADS_MAIN`): ``then`` where it does."""
    return When(SERVER_PRELOADS_MAIN, then, before)


def default_start_method() -> DefaultMethod:
    """The start method a program gets when it never chooses one, on each platform and Python."""
    return DefaultMethod()


def default_is(method: str, then: Any, otherwise: Any) -> DefaultIs:
    """``then`` where ``method`` is the default start method (of the platform, in that Python), else ``otherwise``."""
    return DefaultIs(method, then, otherwise)


def free_threaded(then: Any, otherwise: Any) -> FreeThreaded:
    """A value that differs on a free-threaded build (``python3.14t``): ``then`` there, ``otherwise`` with the GIL."""
    return FreeThreaded(then, otherwise)


def pypy_since(version: str, then: Any, before: Any) -> PypySince:
    """A value that changed in a PyPy release: ``by_impl(pypy=pypy_since("8.0", new, old), default=...)``."""
    return PypySince(version, then, before)


# --- matchers: for facts that are asserted as a bound or loosely, not by equality -------------


class Matcher:
    """A fact's expectation that is not a plain value. ``describe()`` is what reports show."""

    def matches(self, observed: Any) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.describe()


class Contains(Matcher):
    """A string fact that contains ``text`` (case-insensitive: messages drift between versions)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def matches(self, observed: Any) -> bool:
        return isinstance(observed, str) and self.text.lower() in observed.lower()

    def describe(self) -> str:
        return f"contains {self.text!r}"


class Matches(Matcher):
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._regex = re.compile(pattern)

    def matches(self, observed: Any) -> bool:
        return isinstance(observed, str) and self._regex.search(observed) is not None

    def describe(self) -> str:
        return f"matches /{self.pattern}/"


class InRange(Matcher):
    """A number within ``[low, high]`` (either end may be open)."""

    def __init__(self, low: Optional[float] = None, high: Optional[float] = None) -> None:
        self.low = low
        self.high = high

    def matches(self, observed: Any) -> bool:
        if isinstance(observed, bool) or not isinstance(observed, (int, float)):
            return False
        return (self.low is None or observed >= self.low) and (self.high is None or observed <= self.high)

    def describe(self) -> str:
        if self.low is None:
            return f"<= {self.high}"
        if self.high is None:
            return f">= {self.low}"
        return f"between {self.low} and {self.high}"


class OneOf(Matcher):
    def __init__(self, *values: Any) -> None:
        self.values = [_jsonable(v) for v in values]

    def matches(self, observed: Any) -> bool:
        return observed in self.values

    def describe(self) -> str:
        return "one of " + ", ".join(_dumps(v) for v in self.values)


class _Absent(Matcher):
    """The fact must not be reported at all (e.g. a step that cannot happen under this method)."""

    def matches(self, observed: Any) -> bool:
        return False  # the comparison handles absence before asking the matcher

    def describe(self) -> str:
        return "absent"


def contains(text: str) -> Contains:
    return Contains(text)


def matches(pattern: str) -> Matches:
    return Matches(pattern)


def at_most(high: float) -> InRange:
    return InRange(high=high)


def at_least(low: float) -> InRange:
    return InRange(low=low)


def between(low: float, high: float) -> InRange:
    return InRange(low, high)


def one_of(*values: Any) -> OneOf:
    return OneOf(*values)


ABSENT = _Absent()


def _jsonable(value: Any) -> Any:
    """Plain values are compared as JSON sees them (tuples become lists)."""
    if value is None or isinstance(value, (str, int, float)):
        return value  # the common case, without importing json into every spawn child
    import json

    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        raise ExpectationError(f"expected value {value!r} is not plain JSON data") from None


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value)


def resolve_value(value: Any, where: Where) -> Any:
    """Resolve rules (recursively, also inside lists and dicts) to a plain value or a matcher."""
    if isinstance(value, Rule):
        return value.resolve(where)
    if isinstance(value, Matcher):
        return value
    if isinstance(value, dict):
        return {k: resolve_value(v, where) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [resolve_value(v, where) for v in value]
        if any(isinstance(i, Matcher) for i in items):
            raise ExpectationError("matchers inside lists are not supported: make each a fact of its own")
        return _jsonable(items)
    return _jsonable(value)


# --- the declaration ---------------------------------------------------------------------------


class Resolved:
    """An expectation at one coordinate: either ``facts`` or an ``unavailable`` reason."""

    __slots__ = ("facts", "unavailable")

    def __init__(self, facts: Dict[str, Any], unavailable: Optional[str] = None) -> None:
        self.facts = facts
        self.unavailable = unavailable

    def __repr__(self) -> str:
        return f"Resolved(facts={self.facts!r}, unavailable={self.unavailable!r})"


class Expect:
    """A scenario's declaration.

    ``facts``: fact name -> plain value, rule (:func:`by_method`, :func:`since`, ...) or matcher.
    ``requires``: start methods the scenario uses explicitly (``get_context("fork")``), so a
    platform without them reports the scenario *unavailable* under every method.
    ``set_method``: False for scenarios that must see a fresh interpreter's default method.
    ``timeout``: seconds per cell when the scenario needs other than the run's default.

    A plain class, not a dataclass: every cell and every spawn child imports this module, and
    dataclasses (with inspect) would add milliseconds to each.
    """

    def __init__(
        self,
        facts: Mapping[str, Any],
        requires: Tuple[str, ...] = (),
        set_method: bool = True,
        timeout: Optional[float] = None,
    ) -> None:
        self.facts = facts
        self.requires = tuple(requires)
        self.set_method = set_method
        self.timeout = timeout
        self._check()

    def __repr__(self) -> str:
        return (
            f"Expect(facts={self.facts!r}, requires={self.requires!r}, "
            f"set_method={self.set_method!r}, timeout={self.timeout!r})"
        )

    def _check(self) -> None:
        if not isinstance(self.facts, Mapping) or not self.facts:
            raise ExpectationError("Expect(facts=...) needs a non-empty dict of fact name -> expected value")
        for name in self.facts:
            if not isinstance(name, str) or not name.isidentifier():
                raise ExpectationError(f"fact name {name!r} must be an identifier")
        unknown = set(self.requires) - set(METHODS)
        if unknown:
            raise ExpectationError(f"requires: unknown start method(s) {sorted(unknown)}")
        if self.timeout is not None and not (isinstance(self.timeout, (int, float)) and self.timeout > 0):
            raise ExpectationError(f"timeout must be a positive number of seconds, got {self.timeout!r}")

    def resolve(
        self,
        method: str,
        platform: str,
        version: Union[str, Version],
        impl: str = "cpython",
        impl_version: Union[str, Version, None] = None,
        free_threaded: bool = False,
    ) -> Resolved:
        """The expectation under ``method`` on ``platform`` with Python ``version`` (the language
        version) on implementation ``impl``, whose own version is ``impl_version`` (PyPy's), in a
        free-threaded build or not (``free_threaded``)."""
        if method not in METHODS:
            raise ExpectationError(f"unknown start method {method!r}")
        if platform not in AVAILABLE:
            raise ExpectationError(f"unknown platform {platform!r} (one of {', '.join(PLATFORMS)})")
        if impl not in IMPLEMENTATIONS:
            raise ExpectationError(f"unknown implementation {impl!r} (one of {', '.join(IMPLEMENTATIONS)})")
        have = AVAILABLE[platform]
        if method not in have:
            return Resolved({}, unavailable=f"{platform} has no {method!r} start method")
        missing = [m for m in self.requires if m not in have]
        if missing:
            return Resolved({}, unavailable=f"the scenario needs {', '.join(missing)}, which {platform} lacks")
        own = None if impl_version is None else parse_version(impl_version)
        where = Where(method, platform, parse_version(version), impl, own, free_threaded)
        return Resolved(facts={name: resolve_value(v, where) for name, v in self.facts.items()})


def describe(value: Any) -> Any:
    """A resolved expected value as JSON data for reports (matchers become their description)."""
    return value.describe() if isinstance(value, Matcher) else value


def compare(expected: Mapping[str, Any], observed: Mapping[str, Any]) -> Dict[str, str]:
    """Fact name -> why it does not match; empty when everything matches.

    Every observed fact must be expected too: a fact nobody asserts is a scenario bug.
    """
    problems: Dict[str, str] = {}
    for name, want in expected.items():
        if want is ABSENT:
            if name in observed:
                problems[name] = f"expected no such fact, observed {_dumps(observed[name])}"
            continue
        if name not in observed:
            problems[name] = "not reported by the scenario"
            continue
        got = observed[name]
        ok = want.matches(got) if isinstance(want, Matcher) else got == want
        if not ok:
            problems[name] = f"expected {_show(want)}, observed {_dumps(got)}"
    for name in observed:
        if name not in expected:
            problems[name] = f"observed {_dumps(observed[name])} but the scenario expects nothing of it"
    return problems


def _show(value: Any) -> str:
    return value.describe() if isinstance(value, Matcher) else _dumps(value)


#: What varies between runs of the same program: addresses, pids, timings, counts.
VOLATILE_RE = re.compile(r"0x[0-9a-fA-F]+|\d+(?:\.\d+)?")


def masked(text: str) -> str:
    """``text`` with what varies between runs (:data:`VOLATILE_RE`) replaced by ``#``."""
    return VOLATILE_RE.sub("#", text)
