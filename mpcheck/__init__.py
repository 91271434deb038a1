"""mpcheck: how multiprocessing code behaves under fork, spawn and forkserver, cell by cell.

Public: the ``mpcheck`` command, the pytest plugin (``@pytest.mark.start_methods``, ``mp_context``,
``--mp-start-method``), and the scenario language of :mod:`mpcheck.expect` and :mod:`mpcheck.facts`
that users' scenario files import. Everything else is internal and may move.

Where code runs (each package's docstring says more; docs/architecture.md has the map): ``cli`` and the
command packages (``catalog``, ``suite``, ``lint``, ``sanitize``, ``probe``) in the ``mpcheck`` command;
``engine.cell``, ``methods``, ``expect``, ``facts``, ``startup``, ``start_method.hook`` and ``sanitize.hook``
inside every cell interpreter or at every Python start (stdlib only); ``pytest_plugin``,
``start_method.session``, ``sanitize.session`` and ``suite.agent`` inside the user's pytest.

Kept import-free: every cell's interpreter imports this package before running its scenario.

PYTEST_DONT_REWRITE: the start-up hook (``mpcheck_start_method.pth``) imports this package before pytest
starts, so pytest cannot rewrite it; this marker tells pytest so, which keeps it from warning
``Module already imported so cannot be rewritten; mpcheck`` (an error under ``filterwarnings = error``
or ``-W error``, which stopped such a project's session and killed every pytest-xdist worker).
"""

__version__ = "0.1.0"
