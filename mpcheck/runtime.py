"""This interpreter as every report names it, the start methods it has, and how reports sort.

One answer to each of: which platform's expectations apply here, which Python (language) version and
implementation this is, how a header names it (``Python 3.11.7``, ``PyPy 8.0.1 (Python 3.11.17)``),
which start methods exist here, and in which order platforms, methods, implementations and versions
are shown. Every JSON report starts with :func:`report_header`, so every report says the same about
where it was made (a PyPy report says PyPy). Foundation: stdlib and :mod:`mpcheck.expect` only.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Tuple

from . import __version__
from .expect import IMPLEMENTATIONS, METHODS, PLATFORMS, implementation, platform_name


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


def runtime_label(impl: Optional[str] = None, python: Optional[str] = None, impl_version: Optional[str] = None) -> str:
    """How headers name an interpreter (this one by default): ``Python 3.11.7``, ``PyPy 8.0.1 (Python 3.11.17)``.

    A report or baseline without an implementation (older mpcheck) is CPython's.
    """
    if impl is None:  # this interpreter
        impl, python, impl_version = implementation_name(), python_version(), implementation_version()
    python = python or "?"
    if impl == "cpython":
        return f"Python {python}"
    return f"{implementation_title(impl)} {impl_version or '?'} (Python {python})"


def methods_here() -> List[str]:
    """The start methods this interpreter has, in :data:`~mpcheck.expect.METHODS` order."""
    import multiprocessing

    here = multiprocessing.get_all_start_methods()
    return [m for m in METHODS if m in here]


def report_header(format: str) -> Dict[str, Any]:
    """The envelope every JSON report starts with: its format, mpcheck's version, and this interpreter.

    Reports written before mpcheck recorded the implementation lack it: readers take those as CPython's.
    """
    return {
        "format": format,
        "mpcheck": __version__,
        "python": python_version(),
        "sys_version": sys.version,
        "implementation": implementation_name(),
        "implementation_version": implementation_version(),
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
