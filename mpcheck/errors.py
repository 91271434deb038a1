"""Errors the front ends turn into a one-line message, and every command's exit codes (one table).

Stdlib only, no imports: the foundation every layer may use.
"""

#: Every command's exit codes. ``EXIT_FAILED`` is the command's own "found something": a cell that failed,
#: a test whose outcome differs, a lint finding, a hazard, a probe whose methods disagree.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: ``mpcheck suite``: nothing could differ (no test used the default context, or the project pins its own
#: method): not a pass, and not a difference either
EXIT_NOTHING = 3
EXIT_INTERRUPTED = 130

#: The one table of exit codes: for each command (and the pytest plugin's options), each code and when it
#: is given. ``mpcheck COMMAND --help``, the command modules' docstrings and docs/exit-codes.md are made
#: from it or checked against it (tests/test_exit_codes.py); write a change here first.
EXIT_CODES = {
    "list": (
        (EXIT_OK, "the scenarios are listed"),
        (
            EXIT_USAGE,
            "bad input: a missing path, a scenario file that cannot be read, an unknown scenario, method or "
            "platform, a bad --python version",
        ),
    ),
    "run": (
        (EXIT_OK, "every cell passed or is unavailable on this platform"),
        (EXIT_FAILED, "a cell failed, timed out or crashed; with --baseline, an observation changed"),
        (EXIT_USAGE, "bad input: an unknown scenario or method, a bad option, a missing or foreign baseline"),
        (EXIT_INTERRUPTED, "interrupted (Ctrl-C or SIGTERM): the running cells are killed"),
    ),
    "merge": (
        (EXIT_OK, "every cell of every report passed or is unavailable (suite reports: every test agrees)"),
        (EXIT_FAILED, "a cell did not pass (suite reports: a test differs)"),
        (EXIT_USAGE, "bad input: a missing, corrupt or foreign report"),
    ),
    "probe": (
        (
            EXIT_OK,
            "the methods agree, also when the target fails alike under every method (same exception, same "
            "exit code: the probe compares the methods, it does not test the target)",
        ),
        (EXIT_FAILED, "the methods differ"),
        (EXIT_USAGE, "bad input: a target that cannot be found or imported, bad --args"),
        (EXIT_INTERRUPTED, "interrupted: the runs and everything they started are stopped"),
    ),
    "suite": (
        (
            EXIT_OK,
            "every test compared agrees and none fails (a flaky test, one whose reruns disagree, is reported "
            "and does not change the exit code, nor does one that differed only when run beside the other "
            "methods and agreed alone)",
        ),
        (
            EXIT_FAILED,
            "a test's outcome differs between methods, or a test fails under every method it ran under (the "
            "suite fails, as under pytest alone)",
        ),
        (EXIT_USAGE, "bad input, pytest's own usage errors included"),
        (
            EXIT_NOTHING,
            "nothing could differ: no test started, or sent work to, a process through the default context, "
            "or the project pins its own start method (the forced method reached no test)",
        ),
        (EXIT_INTERRUPTED, "interrupted: pytest and everything it started are stopped"),
    ),
    "sanitize": (
        (EXIT_OK, "no hazard, and the command exited 0"),
        (
            EXIT_FAILED,
            "hazards found, or the command failed: it exited non-zero or was stopped by --timeout (its "
            "own exit code is on the first line and in the JSON)",
        ),
        (EXIT_USAGE, "bad input: no command, one that cannot be run, or one that ran no Python mpcheck could watch"),
        (EXIT_INTERRUPTED, "interrupted: the command and everything it started are stopped"),
    ),
    "lint": (
        (
            EXIT_OK,
            "no finding in the files analysed (files that do not parse and name no process library are "
            "skipped, and counted)",
        ),
        (
            EXIT_FAILED,
            "findings (a file that names a process library and does not parse is one, MP000), or a file "
            "that could not be read or analysed",
        ),
        (
            EXIT_USAGE,
            "bad input: a bad option, rule or configuration, a missing path, or nothing to check (no rule to "
            "run: a selection that leaves none, or names preview rules only without --preview; a file named that "
            "is not Python, like notes.txt; no Python file; or none that parses)",
        ),
    ),
    "pytest --mp-sanitize": (
        (0, "the tests passed and no hazard was found"),
        (
            1,
            "a test failed, or hazards were found (with --mp-sanitize-report-only or the ini setting "
            "mp_sanitize_report_only = true, hazards are listed and do not change the exit code)",
        ),
        (2, "interrupted (pytest's own code)"),
        (4, "usage error (pytest's own code)"),
        (5, "no test was collected (pytest's own code)"),
    ),
    "pytest --mp-start-method": (
        (0, "the tests passed (pytest's own codes: the option changes only the start method)"),
        (1, "a test failed"),
        (2, "interrupted"),
        (4, "usage error: an unknown start method, or one the platform lacks"),
        (5, "no test was collected"),
    ),
}


def exit_codes_text(command: str) -> str:
    """One line: each exit code of ``command`` and its meaning (what --help and docstrings show)."""
    return "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES[command])


class UsageError(Exception):
    """Bad input from the user: an unknown name, a bad value, a file that cannot be used."""


class ScenarioError(UsageError):
    """A scenario file that cannot be used; the message is one line naming the file."""


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped a command after it cleaned up; the message says what was stopped."""
