"""How findings are written: ``text`` (ruff's ``path:line:col: CODE message``), ``json``, SARIF 2.1.0
(for GitHub code scanning), ``github`` (workflow annotations on a pull request's lines) and the job
summary. Rule metadata comes from :mod:`mpcheck.pitfalls`, never restated.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Optional, Sequence

from .. import __version__, github, pitfalls
from .api import RULES, Finding, Report
from .core import NOTICES, code_name

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def text(findings: Sequence[Finding], report: Optional[Report] = None) -> str:
    lines = [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings]
    errors = len(report.errors) if report else 0
    if findings:
        many = "s" if len(findings) != 1 else ""
        lines.append(f"Found {len(findings)} finding{many} in {_files(len({f.path for f in findings}))}.")
    elif not errors:
        lines.append("All checks passed!")
    if errors:
        lines.append(f"{_files(errors)} could not be checked (the errors above); every other file was.")
    if report and report.skipped:
        shown = ", ".join(report.skipped[:3]) + (
            f" and {len(report.skipped) - 3} more" if len(report.skipped) > 3 else ""
        )
        lines.append(f"Skipped {_files(len(report.skipped))} that do not parse and name no process library: {shown}.")
    return "\n".join(lines) + "\n"


def as_dicts(findings: Sequence[Finding]) -> List[Dict[str, Any]]:
    return [
        {
            "path": f.path,
            "line": f.line,
            "col": f.col,
            "code": f.code,
            "name": code_name(f.code),
            "message": f.message,
            "scenarios": list(f.scenarios),
        }
        for f in findings
    ]


def json_text(findings: Sequence[Finding], report: Optional[Report] = None) -> str:
    return json.dumps(as_dicts(findings), indent=2) + "\n"


def _uri(path: str) -> str:
    p = Path(path)
    try:
        return PurePosixPath(p.resolve().relative_to(Path.cwd().resolve())).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def sarif(findings: Sequence[Finding]) -> Dict[str, Any]:
    codes = sorted({*RULES, *(f.code for f in findings if f.code in NOTICES)})
    rules = []
    for code in codes:
        if code in NOTICES:
            name, title, why = NOTICES[code]
            rules.append(
                {
                    "id": code,
                    "name": name,
                    "shortDescription": {"text": title},
                    "fullDescription": {"text": why},
                    "defaultConfiguration": {"level": "error"},
                }
            )
            continue
        p = pitfalls.BY_CODE[code]
        rules.append(
            {
                "id": code,
                "name": p.name,
                "shortDescription": {"text": p.title},
                "fullDescription": {"text": p.why},
                "help": {"text": f"{p.why}\n\nFix: {p.fix}", "markdown": f"{p.why}\n\n**Fix:** {p.fix}"},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"scenarios": list(p.scenarios), "tags": ["multiprocessing", "correctness"]},
            }
        )
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": "error" if f.code in NOTICES else "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }
            ],
            "properties": {"scenarios": list(f.scenarios)},
        }
        for f in findings
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "mpcheck", "version": __version__, "rules": rules}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def sarif_text(findings: Sequence[Finding], report: Optional[Report] = None) -> str:
    return json.dumps(sarif(findings), indent=2) + "\n"


def _relative(path: str) -> str:
    """A finding's file as GitHub wants it: relative to the working folder (the workspace), POSIX."""
    p = Path(path)
    try:
        return PurePosixPath(p.resolve().relative_to(Path.cwd().resolve())).as_posix()
    except ValueError:
        return p.as_posix()


def _title_and_fix(code: str) -> tuple[str, str]:
    """A rule's title and fix (a notice such as MP000 has its own title and no fix)."""
    notice = NOTICES.get(code)
    if notice:
        return notice[1], "make the file parse (or exclude it), so that its pitfalls are checked"
    pitfall = pitfalls.BY_CODE[code]
    return pitfall.title, pitfall.fix


def github_text(findings: Sequence[Finding], report: Optional[Report] = None) -> str:
    """One ``::error file=...,line=...,col=...,title=...::message`` per finding: GitHub shows each on its line
    of a pull request's diff. The message ends with the pitfall's fix."""
    lines = []
    for f in findings:
        title, fix = _title_and_fix(f.code)
        message = f"{f.code} {f.message}\nFix: {fix}"
        lines.append(
            github.annotation("error", message, _relative(f.path), f.line, f.col, f"mpcheck {f.code}: {title}")
        )
    return "".join(line + "\n" for line in lines)


def step_summary(findings: Sequence[Finding], checked: int) -> str:
    """The job summary: the totals, then each finding (where, the rule, the message)."""
    files = len({f.path for f in findings})
    lines = ["## mpcheck lint", ""]
    if not findings:
        return "\n".join([*lines, f"**All checks passed** ({checked} file{'s' if checked != 1 else ''} checked)", ""])
    many = "s" if len(findings) != 1 else ""
    lines += [f"**{len(findings)} finding{many} in {files} file{'s' if files != 1 else ''}** ({checked} checked)", ""]
    lines += ["| where | rule | finding |", "| --- | --- | --- |"]
    shown = findings[: github.SUMMARY_ITEMS]
    for f in shown:
        title = _title_and_fix(f.code)[0]
        lines.append(
            f"| {github.md_code(f'{_relative(f.path)}:{f.line}:{f.col}', table=True)} | "
            f"{f.code} {github.md_text(title)} | {github.md_text(f.message)} |"
        )
    more = github.more_line(len(findings), len(shown), "every finding is in the job's log")
    return "\n".join(lines + ([f"\n{more}"] if more else [""])) + "\n"


FORMATS = {"text": text, "json": json_text, "sarif": sarif_text, "github": github_text}
