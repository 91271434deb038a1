"""This interpreter as every report names it, the start methods it has, and how reports sort.

One answer to each of: which platform's expectations apply here, which Python (language) version and
implementation this is, whether it is a free-threaded build, how a header names it (``Python 3.11.7``,
``Python 3.14.0t``, ``PyPy 8.0.1 (Python 3.11.17)``), which start methods exist here, and in which order
platforms, methods, implementations and versions are shown. Every JSON report starts with
:func:`report_header`, so every report says the same about where it was made (a PyPy report says PyPy,
a free-threaded build's says ``free_threaded``); :func:`report_runtime` reads it back.
Foundation: stdlib and :mod:`mpcheck.expect` only.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import __version__
from .expect import IMPLEMENTATIONS, METHODS, PLATFORMS, implementation, is_free_threaded, platform_name


def current_platform() -> str:
    """The platform whose expectations apply here: other POSIX systems are judged as Linux."""
    plat = platform_name()
    return plat if plat in PLATFORMS else "linux"


def python_version() -> str:
    """The Python language version, ``3.11.7`` (PyPy 8.0.1 says ``3.11.17``)."""
    return ".".join(map(str, sys.version_info[:3]))


def implementation_name() -> str:
    """``sys.implementation.name``: ``cpython``, ``pypy``."""
    return implementation()[0]


def implementation_version() -> str:
    """The implementation's own version: PyPy's ``8.0.1``; CPython's is its Python version."""
    return ".".join(map(str, implementation()[1]))


def implementation_title(impl: str) -> str:
    """An implementation as people write it: ``pypy`` -> ``PyPy``; others as they name themselves."""
    return {"cpython": "CPython", "pypy": "PyPy"}.get(impl, impl)


def runtime_label(
    impl: Optional[str] = None,
    python: Optional[str] = None,
    impl_version: Optional[str] = None,
    free_threaded: bool = False,
) -> str:
    """How headers name an interpreter (this one by default): ``Python 3.11.7``, ``Python 3.14.0t`` (a
    free-threaded build), ``PyPy 8.0.1 (Python 3.11.17)``.

    A report or baseline without an implementation (older mpcheck) is CPython's, with the GIL.
    """
    if impl is None:  # this interpreter
        impl, python, impl_version = implementation_name(), python_version(), implementation_version()
        free_threaded = is_free_threaded()
    python = python or "?"
    if impl == "cpython":
        return f"Python {python}{'t' if free_threaded else ''}"
    return f"{implementation_title(impl)} {impl_version or '?'} (Python {python})"


def report_runtime(report: Mapping[str, Any]) -> Tuple[Tuple[Any, ...], str]:
    """The interpreter a JSON report came from (its :func:`report_header`): its sort key and its label.

    Reports written before mpcheck recorded the implementation are CPython's; before it recorded the
    build, with the GIL.
    """
    impl = str(report.get("implementation") or "cpython")
    python = str(report.get("python", "?"))
    own = str(report.get("implementation_version") or python)
    free = report.get("free_threaded") is True
    return runtime_key(impl, python, own, free), runtime_label(impl, python, own, free)


def runtime_key(impl: str, python: str, impl_version: str, free_threaded: bool) -> Tuple[Any, ...]:
    """CPython before PyPy, older Pythons first, a free-threaded build after the same version with the GIL."""
    return (impl_key(impl), version_key(python), free_threaded, version_key(impl_version))


def methods_here() -> List[str]:
    """The start methods this interpreter has, in :data:`~mpcheck.expect.METHODS` order."""
    import multiprocessing

    here = multiprocessing.get_all_start_methods()
    return [m for m in METHODS if m in here]


def report_header(format: str) -> Dict[str, Any]:
    """The envelope every JSON report starts with: its format, mpcheck's version, and this interpreter.

    Reports written before mpcheck recorded the implementation lack it: readers take those as CPython's
    (and those before it recorded ``free_threaded`` as builds with the GIL).
    """
    return {
        "format": format,
        "mpcheck": __version__,
        "python": python_version(),
        "sys_version": sys.version,
        "implementation": implementation_name(),
        "implementation_version": implementation_version(),
        "free_threaded": is_free_threaded(),
        "platform": current_platform(),
    }


# --- the order reports show things in ------------------------------------------------------------


def version_key(version: str) -> Tuple[int, ...]:
    """``"3.13.10"`` -> ``(3, 13, 10)``, tolerant of suffixes (``3.15.0a1`` sorts as 3.15.0)."""
    parts = []
    for piece in str(version).split("."):
        digits = "".join(c for c in piece if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def method_key(method: str) -> Tuple[int, str]:
    """fork, spawn, forkserver, then any other by name."""
    return (METHODS.index(method) if method in METHODS else len(METHODS), method)


def platform_key(platform: str) -> Tuple[int, str]:
    """linux, darwin, win32, then any other by name."""
    return (PLATFORMS.index(platform) if platform in PLATFORMS else len(PLATFORMS), platform)


def impl_key(impl: str) -> Tuple[int, str]:
    """CPython, PyPy, then any other implementation by name."""
    return (IMPLEMENTATIONS.index(impl) if impl in IMPLEMENTATIONS else len(IMPLEMENTATIONS), impl)


def method_order(methods: Any) -> List[str]:
    """``methods`` without repeats, in :func:`method_key` order."""
    return sorted(dict.fromkeys(methods), key=method_key)
