"""``mpcheck sanitize`` and ``pytest --mp-sanitize``: one run tells what the other start methods would break.

:mod:`.hook` runs *inside every Python process* of the watched command (the ``.pth`` start-up hook
installs it where ``$MPCHECK_SANITIZE`` is set): stdlib only. :mod:`.session` runs inside the user's
pytest; :mod:`.findings` and :mod:`.command` in the ``mpcheck`` command. Empty on purpose: every
watched Python imports this package at start-up.
"""
