"""Errors the front ends turn into a one-line message, and every command's exit codes (one table).

Stdlib only, no imports: the foundation every layer may use.
"""

#: Every command's exit codes. ``EXIT_FAILED`` is the command's own "found something": a cell that failed,
#: a test whose outcome differs, a lint finding, a hazard, a probe whose methods disagree.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad input from the user: an unknown name, a bad value, a file that cannot be used."""


class ScenarioError(UsageError):
    """A scenario file that cannot be used; the message is one line naming the file."""


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped a command after it cleaned up; the message says what was stopped."""
