"""``-p mpcheck.suite.pytest_command.no_coverage``: pytest-cov off in a pytest ``mpcheck suite`` runs only
to compare outcomes (every method's run but the first, every rerun).

The project's coverage is its own run's, the first method's: pytest-cov in another session would start
coverage there, whose start erases the data files of the run in progress (with ``parallel = true``, the
``.coverage.*`` files its processes are writing: ``DataError: no such table: context`` in the first run's
tests), and whose end writes ``.coverage`` over the project's. pytest-cov's own ``--no-cov`` turns it off
(its plugin then starts nothing, erases nothing, writes nothing). It is an argument only where pytest-cov
is loaded, which only this pytest knows, once it has loaded its plugins (installed or not, ``-p no:cov``,
plugin autoload off): so it is added here, before any plugin's ``pytest_load_initial_conftests``, to the
arguments pytest is parsing. Loaded by ``-p`` on the command line, it is loaded in pytest-xdist's workers
too (they get the same command line), which would otherwise start their own coverage; not in a pytest a
test runs.
"""

from typing import Generator, List

import pytest

OPTION = "--no-cov"


def _pytest_cov_loaded(config: pytest.Config) -> bool:
    """pytest-cov's plugin is registered here and its options are parsed (its ``--no-cov`` is known)."""
    loaded = any(
        getattr(plugin, "__name__", "").startswith("pytest_cov.") for plugin in config.pluginmanager.get_plugins()
    )
    return loaded and hasattr(config.known_args_namespace, "no_cov")


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, args: List[str]) -> Generator[None, None, None]:
    if _pytest_cov_loaded(early_config) and OPTION not in args:
        # last: pytest-cov warns of a --cov option after --no-cov (an error under filterwarnings = error)
        args.append(OPTION)
        early_config.known_args_namespace.no_cov = True
    yield
