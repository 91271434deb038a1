"""nox sessions: ``scenarios`` (the catalog on every Python found), ``tests``, ``lint``, ``browser``
(the HTML pages in Chromium; ``screenshots`` refreshes the docs' images), ``bench``.

Interpreters are looked up on PATH as ``python3.X``, ``python3.Xt`` (free-threaded) and ``pypy3.X``.
pyenv's installed versions are put on PATH here (before its shims, which fail unless a version is
selected), and so are the free-threaded builds of ``tools/build-free-threaded`` (in its cache), so a
machine with pyenv needs nothing more. Elsewhere, put each interpreter's folder on PATH (see README). A
missing one is skipped. Reports are named after the interpreter: ``reports/py3.12.json``,
``reports/py3.14t.json``, ``reports/pypy3.11.json``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
#: free-threaded CPython (``python3.13t``; mpcheck.methods.FREE_THREADED; docs/pythons.md)
FREE_THREADED = ["3.13t", "3.14t"]
#: PyPy, as nox names it (it runs ``pypy3.X``); the catalog's PyPy facts are in the scenarios' docstrings.
PYPYS = ["pypy3.9", "pypy3.10", "pypy3.11"]

nox.options.sessions = ["scenarios"]
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = False
nox.needs_version = ">=2025.2.9"


def _pyenv_bins() -> list[str]:
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    versions = Path(root) / "versions"
    if not versions.is_dir():
        return []
    return [str(p / "bin") for p in sorted(versions.iterdir(), reverse=True) if (p / "bin" / "python").exists()]


def _free_threaded_bins() -> list[str]:
    """The folders of the free-threaded builds tools/build-free-threaded made (``.../3.14t/bin``)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home = Path(os.environ.get("MPCHECK_FREE_THREADED_HOME") or cache / "mpcheck" / "free-threaded")
    return [str(p / "bin") for p in sorted(home.glob("3.*t"), reverse=True) if (p / "bin").is_dir()]


os.environ["PATH"] = os.pathsep.join([*_pyenv_bins(), *_free_threaded_bins(), os.environ.get("PATH", "")])
REPORTS = Path("reports")


def _tag(session: nox.Session) -> str:
    """``py3.12`` for CPython, ``py3.14t`` free-threaded, ``pypy3.11`` for PyPy: the report's file name, as the
    CI merge step globs it."""
    python = str(session.python)
    return python if python.startswith("pypy") else f"py{python}"


@nox.session(python=PYTHONS + FREE_THREADED + PYPYS)
def scenarios(session: nox.Session) -> None:
    """Run the whole catalog under every start method; JSON and JUnit under reports/.

    Arguments after ``--`` go to ``mpcheck run`` and make it a partial run, which writes no report
    (a report of one scenario would replace the whole catalog's): add ``--json PATH`` for one.
    """
    session.install(".")
    tag = _tag(session)
    reports = ["--json", str(REPORTS / f"{tag}.json"), "--junit", str(REPORTS / f"{tag}.xml")]
    session.run("mpcheck", "run", *(session.posargs or reports))


#: The test extra's Rust extensions (check-jsonschema's regress, jsonschema's rpds-py). Their newest releases
#: may have no wheel yet for a free-threaded CPython, and building one needs Rust's crate registry; pip then
#: takes the newest release that has a wheel (regress 2025.10.1 on 3.13t) instead of failing the session.
RUST_EXTENSIONS = "regress,rpds-py"


def _install_env(session: nox.Session) -> dict[str, str]:
    """pip's environment for installing the test extra: wheels only for the Rust extensions on a
    free-threaded Python (``3.13t``), nothing changed elsewhere."""
    return {"PIP_ONLY_BINARY": RUST_EXTENSIONS} if str(session.python).endswith("t") else {}


def _oldest(package: str) -> str:
    """``pytest==7``: the lowest version pyproject.toml's ``test`` extra allows (its ``>=`` bound, one place)."""
    found = re.search(rf'"{re.escape(package)}>=([\w.]+)', (Path(__file__).parent / "pyproject.toml").read_text())
    if found is None:
        raise ValueError(f"pyproject.toml gives {package} no lower bound")
    return f"{package}=={found.group(1)}"


@nox.session(python=PYTHONS + FREE_THREADED + PYPYS)
def tests(session: nox.Session) -> None:
    """The test suite (catalog cells as pytest items, engine tests), in parallel, with the newest pytest
    (``tests_oldest_pytest``: with the oldest pyproject.toml allows)."""
    session.install(".[test]", env=_install_env(session))
    session.install("--upgrade", "pytest")
    session.run("pytest", "-n", "auto", "--junitxml", str(REPORTS / f"pytest-{_tag(session)}.xml"), *session.posargs)


@nox.session(python=PYTHONS[0])
def tests_oldest_pytest(session: nox.Session) -> None:
    """The test suite with the oldest pytest mpcheck supports (the lower bound in pyproject.toml), on the
    oldest Python: the plugin must work with both ends of the range."""
    session.install(".[test]", _oldest("pytest"))
    session.run("pytest", "--version")
    session.run("pytest", "-n", "auto", "--junitxml", str(REPORTS / "pytest-oldest-pytest.xml"), *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff, mypy, and the architecture's import contracts (import-linter, [tool.importlinter]). mypy reads the
    tests too: the ``test`` extra brings what they import."""
    session.install(".[test,lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("lint-imports")
    # the no-circle test needs grimp, which only the lint extra brings: the tests sessions skip it, so here
    session.run("pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "tests/test_architecture.py")


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Every command README.md and docs/*.md show, run as written against the output they show."""
    session.install(".[test]")
    session.run("python", "docs/check_samples.py", *session.posargs)


@nox.session(python="3.11")
def browser(session: nox.Session) -> None:
    """The --html pages in the system's headless Chromium (tests/test_browser.py; skips without one)."""
    session.install(".[test,browser]")
    session.run("pytest", "tests/test_browser.py", *session.posargs)


@nox.session(python="3.11")
def screenshots(session: nox.Session) -> None:
    """As ``browser``, writing the screenshots the docs show into docs/images/."""
    session.install(".[test,browser]")
    session.run("pytest", "tests/test_browser.py", *session.posargs, env={"MPCHECK_SCREENSHOTS": "docs/images"})


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """How fast the catalog runs against its floor (see bench/catalog.py)."""
    session.install(".")
    session.run("python", "bench/catalog.py", *session.posargs)


@nox.session(python="3.11")
def bench_probe(session: nox.Session) -> None:
    """What explanations add to mpcheck probe (see bench/probe.py)."""
    session.install(".")
    session.run("python", "bench/probe.py", *session.posargs)


@nox.session(python="3.11")
def bench_sanitize(session: nox.Session) -> None:
    """What the sanitizer costs a program and a test suite, and what it costs when off (see bench/sanitize.py)."""
    session.install(".[test]")
    session.run("python", "bench/sanitize.py", *session.posargs)


@nox.session(python="3.11")
def bench_suite(session: nox.Session) -> None:
    """mpcheck suite against running the suite by hand (see bench/suite.py; --shape realistic)."""
    session.install(".[test]")
    session.run("python", "bench/suite.py", *session.posargs)


@nox.session(python="3.11")
def bench_lint(session: nox.Session) -> None:
    """mpcheck lint against flake8 on the standard library (see bench/lint.py)."""
    session.install(".", "flake8")
    session.run("python", "bench/lint.py", *session.posargs)
