"""Start one interpreter under a start method, contain everything it starts, collect what it reported.

Runs in the ``mpcheck`` command, except :mod:`.cell`, which runs *inside* every cell interpreter
(``python -m mpcheck.engine.cell``) and imports only the stdlib and the cell-side modules
(:mod:`mpcheck.facts`, :mod:`mpcheck.expect`, :mod:`mpcheck.start_method.hook`). Empty on purpose:
every cell imports this package.
"""
