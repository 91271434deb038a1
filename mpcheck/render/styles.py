"""How every table spells and colours a status: a catalog cell's, and a test's outcome in a suite.

One table for the run's matrix, the merged cross-OS table, the suite's table and its merge, in the
terminal and in Markdown. A status is never told by colour alone: the failures are spelled in
capitals. JSON reports keep the plain names (the keys here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Tuple

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

#: status or outcome -> (how a table spells it, rich style)
STYLES: Dict[str, Tuple[str, str]] = {
    # a catalog cell (mpcheck run, mpcheck merge)
    "passed": ("passed", "green"),
    "failed": ("FAILED", "bold red"),
    "unavailable": ("n/a", "dim"),
    "timeout": ("TIMEOUT", "bold yellow"),
    "crashed": ("CRASHED", "bold magenta"),
    "interrupted": ("interrupted", "yellow"),
    # a test under one start method (mpcheck suite): pytest's outcomes, and ours
    "error": ("ERROR", "bold magenta"),
    "skipped": ("skipped", "dim"),
    "xfailed": ("xfailed", "dim"),
    "xpassed": ("xpassed", "yellow"),
    "missing": ("missing", "dim"),
    "no-process": ("no process", "dim"),  # not run under this method: it started no process under the first
    "explicit-only": ("explicit only", "dim"),  # not run: only explicit contexts under the first method
}


def label(status: str) -> str:
    """How a table spells ``status``."""
    return STYLES.get(status, (status, ""))[0]


def style(status: str) -> str:
    """The rich style of ``status`` ("" when it has none)."""
    return STYLES.get(status, (status, ""))[1]


def text(status: str) -> Text:
    """``status`` as a rich ``Text``, spelled and coloured (rich is imported here, when a table is made)."""
    from rich.text import Text

    return Text(label(status), style=style(status))


def console(stderr: bool = False) -> Console:
    """The console every command prints to. Its text lines are never broken to fit the width (a log, a
    pipe or a narrow terminal gets each line whole: a path, a command, an evidence line stay one line);
    tables still fit the terminal's width (80 columns off a terminal)."""
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True)
