"""One self-contained HTML page: a grid of statuses with the facts behind each cell, for ``--html``.

The catalog (``mpcheck run``, ``mpcheck merge``) and the suite (``mpcheck suite``, ``mpcheck merge`` of
suite reports) each turn their report into a :class:`Grid` of :class:`Cell` s and the sections under it;
this module draws it. The file loads nothing: CSS and the little script are inline, and a Content
Security Policy forbids every request (the script and the style are allowed by their hashes). A cell's
status is spelled and coloured as :mod:`mpcheck.render.styles` says (the colour names of its rich styles, drawn
for light and dark mode): never by colour alone. Every text is escaped: :func:`tag` escapes whatever is
not already :class:`Html`, and only this module makes :class:`Html`.

Columns carry their group labels, outermost first (OS, interpreter, start method); the header merges
equal neighbours. A cell that did not pass opens (``<details>``) to a panel with its facts: a side
panel on a wide screen, a bottom sheet on a phone.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional, Sequence, Tuple, Union

from .. import __version__
from . import styles


class Html(str):
    """Markup that is already safe: :func:`tag` puts it in as it is."""

    __slots__ = ()


Child = Union[Html, str, int, float, None, Iterable[Any]]
#: elements that have no content and no end tag
VOID = frozenset({"meta", "input", "br", "hr", "link", "img"})


def esc(value: Any) -> Html:
    """Any value as HTML text (``<``, ``>``, ``&`` and both quotes escaped)."""
    return Html(html.escape(str(value), quote=True))


def _children(children: Iterable[Child]) -> str:
    out: List[str] = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, Html):
            out.append(child)
        elif isinstance(child, (str, int, float)):
            out.append(esc(child))
        else:
            out.append(_children(child))
    return "".join(out)


def tag(element: str, /, *children: Child, **attrs: Any) -> Html:
    """``<element attrs>children</element>``; ``class_`` is ``class``, ``data_x`` is ``data-x``; an attribute that is
    True is written bare, one that is None or False not at all; str children are escaped."""
    parts = [element]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{esc(value)}"')
    if element in VOID:
        return Html(f"<{' '.join(parts)}>")
    return Html(f"<{' '.join(parts)}>{_children(children)}</{element}>")


def join(items: Iterable[Child]) -> Html:
    """Several children as one piece of markup."""
    return Html(_children(items))


def pre(text: str, cls: str = "") -> Html:
    return tag("pre", text, class_=cls or None)


def facts(rows: Sequence[Tuple[str, Child]]) -> Html:
    """A two-column list of name and value (a definition list)."""
    return tag("dl", [[tag("dt", name), tag("dd", value)] for name, value in rows])


def section(title: str, *body: Child) -> Html:
    return tag("section", tag("h4", title), *body)


# --- the grid ------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One status in the grid. ``details``: what opens from it (a cell that did not pass)."""

    status: str
    title: str
    details: Optional[Html] = None
    #: a second, short line under the status (a test's first failure line); the panel has the whole
    note: str = ""


@dataclass
class Column:
    #: header labels, outermost first: ("linux", "Python 3.9–3.13", "fork")
    groups: Tuple[str, ...]


@dataclass
class Row:
    label: str
    #: one per column; None where the report has nothing (shown as "–")
    cells: List[Optional[Cell]]
    #: opens from the row's label (a suite test's likely cause)
    details: Optional[Html] = None
    #: a word beside the label ("flaky")
    badge: str = ""


@dataclass
class Grid:
    corner: str
    columns: List[Column]
    rows: List[Row]
    #: statuses that count as fine (their rows hide under "only what did not pass")
    ok: Tuple[str, ...] = ("passed", "unavailable")


@dataclass
class Page:
    title: str
    #: lines under the title: where the results come from, how they were made
    lines: List[str]
    #: (status, count), shown as badges spelled and coloured like the cells
    totals: List[Tuple[str, int]]
    grid: Grid
    #: a sentence after the totals ("3 tests agree and are not shown")
    note: str = ""
    #: warnings worth a second look, shown prominently
    warnings: List[str] = field(default_factory=list)
    #: what comes under the grid (e.g. every failure, expanded)
    sections: List[Html] = field(default_factory=list)


#: the colour names rich styles in :mod:`mpcheck.render.styles` use, drawn as (background, text) for light and dark
PALETTE = {
    "green": ("#dff3e4", "#0b5a26", "#12381f", "#9be3b0"),
    "red": ("#fbe0e0", "#8f1111", "#4a1414", "#ffb3b3"),
    "yellow": ("#fdf1c7", "#6b4e00", "#453607", "#ffe08a"),
    "magenta": ("#f6e0f6", "#7a1479", "#40163f", "#f5b0f3"),
    "blue": ("#e0ebfb", "#0f3f8f", "#152c4d", "#a9c8ff"),
    "cyan": ("#dcf3f5", "#0b5560", "#103a40", "#97e3ec"),
    "dim": ("#eeeeee", "#555555", "#2a2a2a", "#a8a8a8"),
}


def status_classes(status: str) -> str:
    """The CSS classes of a status, from its rich style in :mod:`mpcheck.render.styles`: ``c-red b`` for "bold red"."""
    words = styles.style(status).split()
    classes = [f"c-{w}" for w in words if w in PALETTE]
    if "bold" in words:
        classes.append("b")
    return " ".join(classes) or "c-none"


def _palette_css() -> str:
    light = "".join(f".c-{n}{{background:{bg};color:{fg}}}" for n, (bg, fg, _, _) in PALETTE.items())
    dark = "".join(f".c-{n}{{background:{bg};color:{fg}}}" for n, (_, _, bg, fg) in PALETTE.items())
    return f"{light}\n@media (prefers-color-scheme: dark){{{dark}}}"


CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#5c5c5c;--line:#d4d4d4;--head:#f4f4f4;--panel:#fff;
--warn:#7a4d00;--focus:#1a5fd0}
@media (prefers-color-scheme: dark){:root{--bg:#141414;--fg:#e8e8e8;--muted:#a8a8a8;--line:#3a3a3a;--head:#1f1f1f;
--panel:#1b1b1b;--warn:#ffd27a;--focus:#8ab4ff}}
*{box-sizing:border-box}
body{margin:0;padding:1rem;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",
Roboto,sans-serif}
h1{font-size:1.3rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:0 0 .5rem}
h4{font-size:.9rem;margin:.9rem 0 .3rem}
.lines{color:var(--muted);margin:0 0 .6rem;padding:0;list-style:none}
.totals{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0;padding:0;list-style:none}
.totals li{padding:.15rem .55rem;border-radius:1rem;border:1px solid var(--line)}
.warn{color:var(--warn);margin:.3rem 0}
.tools{margin:.6rem 0}.tools[hidden]{display:none}
.scroll{overflow:auto;max-height:80vh;border:1px solid var(--line)}
table.grid{border-collapse:separate;border-spacing:0;font-size:.8rem}
.grid>*>tr>th,.grid>*>tr>td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);padding:.2rem .35rem;
text-align:center;white-space:nowrap}
.grid>thead>tr>th{position:sticky;background:var(--head);z-index:2;font-weight:600}
.grid>thead>tr:nth-child(1)>th{top:0}.grid>thead>tr:nth-child(2)>th{top:1.6rem}
.grid>thead>tr:nth-child(3)>th{top:3.2rem}.grid>thead>tr:nth-child(4)>th{top:4.8rem}
.grid>thead>tr>th{height:1.6rem;line-height:1.2rem}
.grid>tbody>tr>th:has(details[open]){z-index:30}
.grid>thead>tr>th.corner{left:0;z-index:3;text-align:left}
.grid>tbody>tr>th{position:sticky;left:0;background:var(--head);text-align:left;font-weight:normal;z-index:1;
max-width:28rem;overflow:hidden;text-overflow:ellipsis}
.grid>*>tr>.g0{border-left:2px solid var(--muted)}
.grid>tbody>tr>td.cell{min-width:3.2rem}
.grid>tbody>tr>td .note{display:block;font-size:.7rem;max-width:14rem;overflow:hidden;text-overflow:ellipsis;
opacity:.85}
.b{font-weight:700}.c-none{background:transparent}
.badge{font-size:.7rem;border:1px solid currentColor;border-radius:.6rem;padding:0 .35rem;margin-left:.3rem}
details.pop>summary{cursor:pointer;list-style:none}
details.pop>summary::-webkit-details-marker{display:none}
details.pop>summary:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
details.pop>summary .lbl::after{content:" ▸";font-size:.75em}
details.pop[open]>summary .lbl::after{content:" ▾"}
td.c-dim details.pop>summary .lbl::after{content:""}
.sheet{position:fixed;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;background:var(--panel);color:var(--fg);
border-top:3px solid var(--muted);box-shadow:0 -4px 18px rgba(0,0,0,.35);padding:.8rem 1rem 1.2rem;z-index:20;
text-align:left;white-space:normal;font-size:.9rem;font-weight:normal}
@media (min-width:56rem){.sheet{left:auto;top:0;width:min(40rem,50vw);max-height:none;border-top:0;
border-left:3px solid var(--muted);box-shadow:-4px 0 18px rgba(0,0,0,.35)}}
.sheet .close{float:right;font:inherit;padding:.15rem .6rem;border:1px solid var(--line);border-radius:.3rem;
background:var(--head);color:var(--fg);cursor:pointer}
.sheet .status{display:inline-block;padding:0 .4rem;border-radius:.3rem}
pre{white-space:pre-wrap;word-break:break-word;background:var(--head);border:1px solid var(--line);padding:.5rem;
margin:.3rem 0;font-size:.8rem;max-height:22rem;overflow:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.3rem 0}dt{color:var(--muted)}
dd{margin:0;word-break:break-word}
table.facts{border-collapse:collapse;font-size:.8rem;width:100%;table-layout:fixed}
table.facts th,table.facts td{border:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top;
word-break:break-word}
.problems>article{border-top:1px solid var(--line);padding:.4rem 0}
footer{color:var(--muted);font-size:.8rem;margin-top:2rem}
@media (max-width:40rem){body{padding:.5rem}.grid>tbody>tr>th{max-width:11rem}}
"""

SCRIPT = """
(function(){
var grid=document.querySelector('table.grid');
document.addEventListener('toggle',function(e){var d=e.target;
 if(!d.matches||!d.matches('details.pop')||!d.open)return;
 document.querySelectorAll('details.pop[open]').forEach(function(o){if(o!==d)o.open=false;});},true);
document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('button.close');
 if(!b)return;var d=b.closest('details');if(d){d.open=false;var s=d.querySelector('summary');if(s)s.focus();}});
document.addEventListener('keydown',function(e){if(e.key!=='Escape')return;
 document.querySelectorAll('details.pop[open]').forEach(function(o){o.open=false;});});
var tools=document.querySelector('.tools'),box=document.getElementById('only-problems');
if(tools&&box&&grid){tools.hidden=false;box.addEventListener('change',function(){
 grid.classList.toggle('only-problems',box.checked);});}
})();
"""

HIDE_OK_ROWS = "table.grid.only-problems tbody tr.ok{display:none}"


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def panel(title: str, status: str, *body: Child) -> Html:
    """What a cell opens to: a heading naming the cell and its status, a close button, the facts."""
    return tag(
        "div",
        tag("button", "Close", type="button", class_="close", aria_label="close"),
        tag(
            "h3",
            title,
            [" ", tag("span", styles.label(status), class_=f"status {status_classes(status)}")] if status else None,
        ),
        *body,
        class_="sheet",
        role="region",
        aria_label=title,
    )


def _cell(cell: Optional[Cell], column: int, group_start: bool) -> Html:
    start = " g0" if group_start else ""
    if cell is None:
        return tag("td", "–", class_=f"cell c-none{start}", data_col=column, data_status="")
    label = styles.label(cell.status)
    note = tag("span", cell.note, class_="note") if cell.note else None
    if cell.details is None:
        content: Child = [label, note]
    else:
        content = tag(
            "details",
            tag("summary", tag("span", label, class_="lbl"), note, title=cell.title),
            panel(cell.title, cell.status, cell.details),
            class_="pop",
            name="cell",
        )
    return tag(
        "td",
        content,
        class_=f"cell {status_classes(cell.status)}{start}",
        data_col=column,
        data_status=cell.status,
        title=f"{cell.title}: {label}" if cell.details is None else None,
    )


def _header(grid: Grid) -> Html:
    depth = max((len(c.groups) for c in grid.columns), default=0)
    rows = []
    for level in range(depth):
        cells: List[Html] = []
        if level == 0:
            cells.append(tag("th", grid.corner, class_="corner", rowspan=depth or None, scope="col"))
        i = 0
        while i < len(grid.columns):
            key = grid.columns[i].groups[: level + 1]
            span = 1
            while i + span < len(grid.columns) and grid.columns[i + span].groups[: level + 1] == key:
                span += 1
            label = key[level] if level < len(key) else ""
            scope = "col" if span == 1 else "colgroup"
            cells.append(tag("th", label, colspan=span if span > 1 else None, scope=scope, class_=_g0(grid, i)))
            i += span
        rows.append(tag("tr", cells))
    return tag("thead", rows)


def _g0(grid: Grid, index: int) -> Optional[str]:
    """Columns that start a new outermost group (an OS) get a heavier left border."""
    if index == 0 or grid.columns[index].groups[:1] != grid.columns[index - 1].groups[:1]:
        return "g0"
    return None


def _row(grid: Grid, row: Row) -> Html:
    ok = all(c is None or c.status in grid.ok for c in row.cells)
    badge = tag("span", row.badge, class_="badge") if row.badge else None
    if row.details is not None:
        label: Child = tag(
            "details",
            tag("summary", tag("span", row.label, badge, class_="lbl"), title=row.label),
            panel(row.label, "", row.details),
            class_="pop",
            name="cell",
        )
    else:
        label = [row.label, badge]
    cells = [_cell(cell, i, _g0(grid, i) is not None) for i, cell in enumerate(row.cells)]
    return tag("tr", tag("th", label, scope="row", title=row.label), cells, class_="ok" if ok else "problem")


def render(page: Page) -> str:
    """The whole page as one HTML document (UTF-8)."""
    css = CSS + _palette_css() + "\n" + HIDE_OK_ROWS + "\n"
    policy = (
        f"default-src 'none'; style-src '{_hash(css)}'; script-src '{_hash(SCRIPT)}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    totals = tag(
        "ul",
        [tag("li", f"{count} {styles.label(status)}", class_=status_classes(status)) for status, count in page.totals],
        class_="totals",
        aria_label="totals",
    )
    oks = {all(c is None or c.status in page.grid.ok for c in row.cells) for row in page.grid.rows}
    tools = (
        None
        if oks != {True, False}
        else tag(
            "div",
            tag(
                "label",
                tag("input", type="checkbox", id="only-problems"),
                " only the rows with a cell that did not pass",
            ),
            class_="tools",
            hidden=True,
        )
    )
    grid = tag(
        "div",
        tag("table", _header(page.grid), tag("tbody", [_row(page.grid, r) for r in page.grid.rows]), class_="grid"),
        class_="scroll",
    )
    body = tag(
        "body",
        tag(
            "header",
            tag("h1", page.title),
            tag("ul", [tag("li", line) for line in page.lines], class_="lines"),
            totals,
            tag("p", page.note) if page.note else None,
            [tag("p", "warning: ", w, class_="warn", role="note") for w in page.warnings],
        ),
        tag("main", tools, grid, page.sections),
        tag("footer", f"mpcheck {__version__}: one file, nothing loaded from elsewhere."),
        tag("script", Html(SCRIPT)),
    )
    head = tag(
        "head",
        Html('<meta charset="utf-8">'),
        Html(f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'),
        Html('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        Html('<meta name="color-scheme" content="light dark">'),
        tag("title", page.title),
        tag("style", Html(css)),
    )
    return "<!DOCTYPE html>\n" + tag("html", head, body, lang="en") + "\n"
