"""The forced default start method: ``pytest --mp-start-method``, ``$MPCHECK_START_METHOD``, the ``.pth``.

:mod:`.hook` runs at the start-up of every Python where ``$MPCHECK_START_METHOD`` is set (and in a
probe's cells): stdlib only. :mod:`.session` runs inside the user's pytest. Empty on purpose: the
start-up hook imports this package.
"""
