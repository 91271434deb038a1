"""GitHub Actions: the job summary every command appends to, workflow annotations, and Markdown that is safe there.

- :func:`append_summary`: inside a job (``$GITHUB_STEP_SUMMARY`` set), ``mpcheck run``, ``suite``, ``merge``,
  ``lint`` and ``sanitize`` append a short Markdown summary to the run's page. A summary that cannot be
  written is a warning on stderr, never a failure of the command.
- :func:`annotation`: a workflow command (``::error file=...,line=...,col=...,title=...::message``) with the
  escaping GitHub's toolkit documents: ``%``, CR and LF in the message; those and ``:`` and ``,`` in a property.
- :func:`md_text`, :func:`md_code`, :func:`fence`: arbitrary text (a scenario's output, a test's failure) in
  Markdown without it turning into markup, HTML or a broken table.

The stdlib, :mod:`mpcheck.files` and :mod:`mpcheck.errors` only.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Dict, Optional

from ..errors import UsageError
from ..files import write_text

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
#: how many failing cells, tests or findings a summary lists before "... and N more"
SUMMARY_ITEMS = 20


def append_summary(markdown: str) -> bool:
    """Append ``markdown`` to the job summary when ``$GITHUB_STEP_SUMMARY`` names one; True if written."""
    where = os.environ.get(SUMMARY_ENV)
    if not where:
        return False
    try:
        write_text(Path(where), markdown.rstrip("\n") + "\n\n", append=True)
    except UsageError as exc:
        print(f"mpcheck: warning: ${SUMMARY_ENV}: {exc}", file=sys.stderr)
        return False
    return True


# --- workflow commands ---------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (actions/toolkit's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as :func:`escape_data`, and ``:`` and ``,`` too (``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    file: Optional[str] = None,
    line: Optional[int] = None,
    col: Optional[int] = None,
    title: Optional[str] = None,
) -> str:
    """``::error file=F,line=L,col=C,title=T::message`` (``level``: error, warning or notice), one line."""
    if level not in ("error", "warning", "notice"):
        raise ValueError(f"annotation level {level!r}")
    props: Dict[str, str] = {}
    if file is not None:
        props["file"] = file
    if line is not None:
        props["line"] = str(line)
    if col is not None:
        props["col"] = str(col)
    if title is not None:
        props["title"] = title
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level}{' ' + head if head else ''}::{escape_data(message)}"


# --- Markdown ------------------------------------------------------------------------------------

#: what can start markup inside a line (links, emphasis, code, tables, strikethrough, autolinks, escapes)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(text: str, limit: int = 300) -> str:
    """Arbitrary text as one line of plain Markdown, for the middle of a line (a list item's text, a table
    cell): no markup, no HTML, no cell break."""
    one = " ".join(str(text).split())
    if len(one) > limit:
        one = one[: limit - 1] + "…"
    one = _MD_SPECIAL.sub(r"\\\1", one)
    return one.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_code(text: str, limit: int = 200, table: bool = False) -> str:
    """Arbitrary text as inline code on one line (a scenario id, a test's node id); ``table``: in a table
    cell, where any ``|`` ends the cell, even inside code, unless escaped (GFM renders ``\\|`` there as ``|``)."""
    one = " ".join(str(text).split())
    if len(one) > limit:
        one = one[: limit - 1] + "…"
    if table:
        one = one.replace("|", "\\|")
    ticks = max((len(m) for m in re.findall(r"`+", one)), default=0)
    fence = "`" * (ticks + 1)
    pad = " " if one.startswith("`") or one.endswith("`") or not one else ""
    return f"{fence}{pad}{one}{pad}{fence}"


def fence(text: str, info: str = "") -> str:
    """``text`` as a fenced code block whose fence no line of it can close."""
    longest = max((len(m) for m in re.findall(r"^ {0,3}(`{3,})", text, flags=re.M)), default=2)
    marker = "`" * max(3, longest + 1)
    return f"{marker}{info}\n{text.rstrip()}\n{marker}"


def more_line(total: int, shown: int, where: str) -> str:
    """``… and 12 more (see the JSON report)`` when a list was cut, else ``""``."""
    return f"… and {total - shown} more ({where})" if total > shown else ""
