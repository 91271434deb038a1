"""``mpcheck list | run | merge``: the scenario catalog, judged cell by cell, and its reports.

Runs in the ``mpcheck`` command (and in the project's own tests); the scenario files themselves run
only inside cells (:mod:`mpcheck.engine`). Empty on purpose.
"""
