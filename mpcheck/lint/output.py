"""How findings are written: ``text`` (ruff's ``path:line:col: CODE message``), ``json``, SARIF 2.1.0
(for GitHub code scanning), ``github`` (workflow annotations on a pull request's lines) and the job
summary. Rule metadata comes from :mod:`mpcheck.pitfalls`, never restated.

Every format but ``github`` also says what was looked at (:class:`Coverage`): the files seen, those
that use a process library and were analysed, those skipped and why, and the grammar they were parsed
with against the project's target version, so that a clean run can be told from one that saw nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import __version__, pitfalls
from ..render import github
from .api import RULES, Finding, Report
from .core import NOTICES, code_name

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def _version(v: Tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


@dataclass
class Coverage:
    """What one run looked at, and with which grammar."""

    seen: int = 0  # every file found (or named)
    process_files: int = 0  # those that use (or, not parsing, name) a process library
    analysed: int = 0  # of those, the ones whose rules ran to the end
    skipped: List[str] = field(default_factory=list)  # do not parse and name no process library
    errors: int = 0  # could not be read or analysed
    unreadable: int = 0  # of the errors, those that could not be read
    grammar: Tuple[int, int] = tuple(sys.version_info[:2])  # type: ignore[assignment]
    target: Optional[Tuple[int, int]] = None
    target_from: Optional[str] = None  # where the target version was read
    preview_off: List[str] = field(default_factory=list)  # preview rules this run did not run

    @classmethod
    def of(cls, report: Report, unreadable: int = 0, **kwargs: Any) -> Coverage:
        return cls(report.files, report.process_files, report.analysed, list(report.skipped), len(report.errors),
                   unreadable, **kwargs)  # fmt: skip

    @property
    def without_process_library(self) -> int:
        """Files that parsed and use no process library: read, and nothing in them to check."""
        return max(0, self.seen - self.unreadable - self.process_files - len(self.skipped))

    @property
    def target_is_newer(self) -> bool:
        return self.target is not None and self.target > self.grammar

    def grammar_text(self) -> str:
        grammar = f"Python {_version(self.grammar)}'s grammar (the running Python)"
        if self.target is None:
            return f"{grammar}; no target version (--target-version, or requires-python in pyproject.toml)"
        return f"{grammar}; target Python {_version(self.target)} ({self.target_from})"

    def lines(self) -> List[str]:
        """The text summary: what was seen, the grammar, and a warning when the target is newer."""
        parts = [
            f"{self.process_files} use{'s' if self.process_files == 1 else ''} a process library "
            f"({self.analysed} analysed)",
            f"{self.without_process_library} use{'s' if self.without_process_library == 1 else ''} none",
            f"{len(self.skipped)} skipped",
        ]
        if self.errors:
            parts.append(f"{self.errors} could not be read or analysed")
        lines = [f"{_files(self.seen)} seen: {', '.join(parts)}.", f"Parsed with {self.grammar_text()}."]
        if self.preview_off:
            lines.append(
                f"{len(self.preview_off)} preview rule{'s' if len(self.preview_off) != 1 else ''} not run "
                f"({', '.join(self.preview_off)}): precision on real code not yet shown to reach 90 %; --preview "
                "runs them."
            )
        if self.target_is_newer and self.target is not None:
            lines.append(
                f"warning: the target, Python {_version(self.target)}, is newer than this grammar: a file in its "
                f"newer syntax does not parse here (MP000, or skipped); run mpcheck lint with Python "
                f"{_version(self.target)} or later to check it"
            )
        return lines

    def to_json(self) -> Dict[str, Any]:
        return {
            "files": self.seen,
            "process_files": self.process_files,
            "analysed": self.analysed,
            "without_process_library": self.without_process_library,
            "skipped": [
                {
                    "path": path,
                    "reason": f"does not parse with Python {_version(self.grammar)}'s grammar and names "
                    "no process library",
                }
                for path in self.skipped
            ],
            "errors": self.errors,
            "grammar": _version(self.grammar),
            "target_version": _version(self.target) if self.target else None,
            "target_version_from": self.target_from,
            "target_newer_than_grammar": self.target_is_newer,
            "preview_rules_not_run": list(self.preview_off),
        }


def text(findings: Sequence[Finding], report: Optional[Report] = None, coverage: Optional[Coverage] = None) -> str:
    lines = [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings]
    errors = len(report.errors) if report else 0
    if findings:
        many = "s" if len(findings) != 1 else ""
        lines.append(f"Found {len(findings)} finding{many} in {_files(len({f.path for f in findings}))}.")
    elif not errors:
        lines.append("All checks passed!")
    if errors:
        lines.append(f"{_files(errors)} could not be checked (the errors above); every other file was.")
    skipped: List[str] = []
    if report and report.skipped:
        shown = ", ".join(report.skipped[:3]) + (
            f" and {len(report.skipped) - 3} more" if len(report.skipped) > 3 else ""
        )
        verbs = "does not parse and names" if len(report.skipped) == 1 else "do not parse and name"
        skipped.append(f"Skipped {_files(len(report.skipped))} that {verbs} no process library: {shown}.")
    if coverage is not None:
        seen, *rest = coverage.lines()
        lines += [seen, *skipped, *rest]  # what was skipped, beside the count of what was seen
    else:
        lines += skipped
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


def json_text(findings: Sequence[Finding], report: Optional[Report] = None, coverage: Optional[Coverage] = None) -> str:
    """``{"summary": what was looked at (:meth:`Coverage.to_json`), "findings": [...]}``."""
    summary = (coverage or Coverage()).to_json()
    return json.dumps({"summary": summary, "findings": as_dicts(findings)}, indent=2) + "\n"


def _uri(path: str) -> str:
    p = Path(path)
    try:
        return PurePosixPath(p.resolve().relative_to(Path.cwd().resolve())).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def sarif(findings: Sequence[Finding], coverage: Optional[Coverage] = None) -> Dict[str, Any]:
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
                "properties": {"mpcheck": (coverage or Coverage()).to_json()},
            }
        ],
    }


def sarif_text(
    findings: Sequence[Finding], report: Optional[Report] = None, coverage: Optional[Coverage] = None
) -> str:
    return json.dumps(sarif(findings, coverage), indent=2) + "\n"


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


def github_text(
    findings: Sequence[Finding], report: Optional[Report] = None, coverage: Optional[Coverage] = None
) -> str:
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


def step_summary(findings: Sequence[Finding], checked: int, coverage: Optional[Coverage] = None) -> str:
    """The job summary: the totals (and what was looked at), then each finding (where, the rule, the message)."""
    files = len({f.path for f in findings})
    lines = ["## mpcheck lint", ""]
    seen = [github.md_text(line) for line in coverage.lines()] if coverage is not None else []
    if not findings:
        done = f"**All checks passed** ({checked} file{'s' if checked != 1 else ''} checked)"
        return "\n".join([*lines, done, "", *seen, ""] if seen else [*lines, done, ""])
    many = "s" if len(findings) != 1 else ""
    lines += [f"**{len(findings)} finding{many} in {files} file{'s' if files != 1 else ''}** ({checked} checked)", ""]
    lines += [*seen, ""] if seen else []
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
