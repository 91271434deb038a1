"""``mpcheck suite``: the user's pytest once per start method, and the tests that differ.

:mod:`.command`, :mod:`.supervisor`, :mod:`.findings`, :mod:`.output` and :mod:`.merge` run in the
``mpcheck`` command; :mod:`.agent`, :mod:`.protocol` and ``pytest_command`` run *inside the user's
pytest* and import only pytest, the stdlib and the stdlib-only start-method hook. Empty on purpose.
"""
