"""The commands README.md and docs/*.md show, run as written, against what the docs say they print
(``nox -s docs``; CI runs it).

A *sample* is a fenced ``text``/``console`` block whose lines starting with ``$ `` are commands and the
lines below each command its output; ``...`` on a line of its own stands for any number of lines (the
doc trimmed them). A ``bash`` block is a list of commands to type: each runs, and must end with the
exit code its ``# exit N`` comment says (0 when it says none), and print what its comment claims: each
`` `quoted` `` text of the comment (its ``#`` continuation lines included) and each ``file.py:LINE`` it
names must be in the command's output. A command whose comment claims nothing about its output is a
problem too: every sample is checked on what it prints, not only on its exit code (show the output in
a ``console`` sample, or quote in the comment what it prints). Every command runs from a fresh copy of
the repository's tracked files (so ``cd tests/...`` and ``examples/...`` mean what they say in a
checkout), the blocks of one doc in order in the same copy (a later block may use a file an earlier
one wrote), with the mpcheck being tested first on ``PATH``.

A ``python`` block whose first line is ``# examples/NAME.py`` must show that file exactly.

An HTML comment right before a block steers it: ``<!-- sample: skip: REASON -->`` (not run here, and
why: the reason is shown), ``<!-- sample: env NAME=VALUE ... -->``.

Outputs are compared after :func:`normalize` (times, Python patch versions, temporary paths).
``python docs/check_samples.py --write [DOC...]`` rewrites the outputs of the samples that differ
(never those trimmed with ``...``), for a person to read before committing.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
SOURCE = re.compile(r"^# (examples/\S+\.py)\n")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(
    r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)\s*$", re.S | re.M
)
DIRECTIVE = re.compile(r"<!--\s*sample:\s*(?P<what>[^>]*?)\s*-->\s*\Z")
EXIT_NOTE = re.compile(r"#\s*exit\s+(\d+)")
#: what a bash command's comment claims it prints: `quoted` text, and any file.py:LINE it names
QUOTED = re.compile(r"`([^`]+)`")
PLACE = re.compile(r"\b[\w./-]+\.py:\d+\b")
END = "@@mpcheck-docs-sample-end"
TIMEOUT_S = 600


@dataclass
class Command:
    text: str
    #: the output the doc shows (sample blocks), None for a bash block's command
    expected: Optional[List[str]] = None
    #: the exit code the doc states (bash blocks: ``# exit N``, default 0)
    exit_code: Optional[int] = None
    #: bash blocks: what the comment claims the output holds (quoted text, file.py:LINE places)
    claims: List[str] = field(default_factory=list)


@dataclass
class Block:
    doc: Path
    line: int
    kind: str  # "sample" or "commands"
    commands: List[Command]
    skip: Optional[str] = None
    env: Dict[str, str] = field(default_factory=dict)
    #: the block body's span in the doc, for --write
    span: Tuple[int, int] = (0, 0)

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def _directive(before: str) -> Tuple[Optional[str], Dict[str, str]]:
    found = DIRECTIVE.search(before.rstrip() + "\n")
    if not found:
        found = DIRECTIVE.search(before.rstrip())
    if not found:
        return None, {}
    what = found.group("what")
    if what.startswith("skip"):
        return (what.partition(":")[2].strip() or "no reason given"), {}
    env: Dict[str, str] = {}
    if what.startswith("env "):
        for pair in what[4:].split():
            name, _, value = pair.partition("=")
            env[name] = value
    return None, env


def _sample_commands(body: str) -> List[Command]:
    commands: List[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append(Command(line[2:], expected=[]))
        elif commands:
            assert commands[-1].expected is not None
            commands[-1].expected.append(line)
    return commands


def claims(comment: str) -> List[str]:
    """What a comment says the output holds: each `quoted` text, and each file.py:LINE it names."""
    quoted = QUOTED.findall(comment)
    places = [p for p in PLACE.findall(QUOTED.sub("", comment))]
    return list(dict.fromkeys(quoted + places))


def _bash_commands(body: str) -> List[Command]:
    commands: List[Command] = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            if commands and line.startswith(" "):  # an indented comment goes on with the command's comment
                commands[-1].claims += claims(text)
            continue
        note = EXIT_NOTE.search(text)
        comment = text.partition(" #")[2] if " #" in text else ""
        commands.append(Command(text, exit_code=int(note.group(1)) if note else 0, claims=claims(comment)))
    return commands


def sources(doc: Path) -> Iterator[Tuple[int, str, str]]:
    """(line, path, code) of each ``python`` block whose first line names the example file it shows."""
    text = doc.read_text(encoding="utf-8")
    for found in FENCE.finditer(text):
        if found.group("lang") == "python":
            named = SOURCE.match(found.group("body"))
            if named:
                line = text.count("\n", 0, found.start()) + 1
                yield line, named.group(1), found.group("body")[named.end() :]


def blocks(doc: Path) -> Iterator[Block]:
    text = doc.read_text(encoding="utf-8")
    for found in FENCE.finditer(text):
        lang, body = found.group("lang"), found.group("body")
        line = text.count("\n", 0, found.start()) + 1
        skip, env = _directive(text[: found.start()][-400:])
        span = (found.start("body"), found.end("body"))
        if lang in ("text", "console", "") and any(row.startswith("$ ") for row in body.splitlines()):
            yield Block(doc, line, "sample", _sample_commands(body), skip, env, span)
        elif lang in ("bash", "sh", "shell"):
            yield Block(doc, line, "commands", _bash_commands(body), skip, env, span)


# --- comparing ---------------------------------------------------------------------------------------

_NORMALIZE = [
    (re.compile(r"/tmp/[^\s'\"]+"), "<tmp>"),
    (re.compile(r"\(\d+:\d\d:\d\d\)"), "(<duration>)"),
    (re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms|µs)\b"), "<time>"),
    (re.compile(r"\b3\.\d{1,2}\.\d{1,2}\b"), "3.X.Y"),
]


def normalize(line: str) -> str:
    for pattern, replacement in _NORMALIZE:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def mismatch(expected: Sequence[str], actual: Sequence[str]) -> Optional[str]:
    """None when ``actual`` is what ``expected`` shows (``...`` lines match any lines), else a diff."""
    want = [normalize(x) for x in expected]
    got = [normalize(x) for x in actual]
    while want and not want[-1]:
        want.pop()
    while got and not got[-1]:
        got.pop()
    if _match(want, got):
        return None
    return "\n".join(difflib.unified_diff(want, got, "the doc shows", "the command printed", lineterm=""))


def _match(want: Sequence[str], got: Sequence[str]) -> bool:
    if not want:
        return not got
    if want[0].strip() == "...":
        return any(_match(want[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and _match(want[1:], got[1:])


# --- running -----------------------------------------------------------------------------------------


def checkout_copy(into: Path) -> Path:
    """The repository's tracked files (as they are in the working tree) under ``into``: a fresh checkout."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def environment(home: Path, extra: Dict[str, str]) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPCHECK_", "PYTEST_", "GITHUB_"))}
    env.pop("COLUMNS", None)  # rich's 80 columns off a terminal, as the docs were made
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env.update(extra)
    return env


def run(block: Block, workdir: Path, home: Path) -> List[Tuple[List[str], int]]:
    """Each command's output lines (stdout and stderr as a terminal shows them) and exit code."""
    script = ["__rc=0"]
    for command in block.commands:
        text = command.text.replace("$?", "$__rc")
        script += [f"(exit $__rc); {text}", "__rc=$?", f"echo '{END}' $__rc"]
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=workdir,
        env=environment(home, block.env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT_S,
    )
    results: List[Tuple[List[str], int]] = []
    lines: List[str] = []
    for line in done.stdout.splitlines():
        if line.startswith(END):
            results.append((lines, int(line.split()[-1])))
            lines = []
        else:
            lines.append(line)
    return results


def check(block: Block, workdir: Path, home: Path) -> List[str]:
    """What is wrong with one block (empty when every command does what the doc says)."""
    problems = []
    results = run(block, workdir, home)
    if len(results) != len(block.commands):
        return [f"{block.where}: the block stopped after {len(results)} of {len(block.commands)} commands"]
    for command, (output, code) in zip(block.commands, results):
        if command.expected is not None:
            diff = mismatch(command.expected, output)
            if diff:
                problems.append(f"{block.where}: `{command.text}` prints something else:\n{diff}")
            continue
        tail = "\n".join(output[-15:])
        if code != command.exit_code:
            problems.append(f"{block.where}: `{command.text}` exits {code}, the doc says {command.exit_code}\n{tail}")
        printed = "\n".join(normalize(line) for line in output)
        for claim in command.claims:
            if normalize(claim) not in printed:
                problems.append(
                    f"{block.where}: `{command.text}`: the comment says `{claim}`, the output does not\n{tail}"
                )
        if not command.claims:
            problems.append(
                f"{block.where}: `{command.text}`: checked on its exit code only: show its output in a console "
                "sample, or quote in its comment (`...`) what it prints"
            )
    return problems


def write(doc: Path, workdir: Path, home: Path) -> int:
    """Rewrite the outputs of ``doc``'s samples that differ (not the trimmed ones); how many were rewritten.
    Every block runs, in order, so that a sample finds what the blocks before it made."""
    text = doc.read_text(encoding="utf-8")
    edits = []
    for block in blocks(doc):
        if block.skip is not None:
            continue
        results = run(block, workdir, home)
        if block.kind != "sample":
            continue
        if any(c.expected and any(x.strip() == "..." for x in c.expected) for c in block.commands):
            continue
        if all(mismatch(c.expected or [], out) is None for c, (out, _) in zip(block.commands, results)):
            continue
        body = "".join(
            f"$ {c.text}\n" + "".join(f"{x.rstrip()}\n" for x in out) for c, (out, _) in zip(block.commands, results)
        )
        edits.append((block.span, body))
    for (start, end), body in sorted(edits, reverse=True):
        text = text[:start] + body + text[end:]
    doc.write_text(text, encoding="utf-8")
    return len(edits)


def main(argv: Sequence[str]) -> int:
    docs = [Path(a).resolve() for a in argv if not a.startswith("-")] or DOCS
    problems: List[str] = []
    checked = skipped = 0
    with tempfile.TemporaryDirectory(prefix="mpcheck-docs-") as tmp:
        for doc in docs:
            name = doc.relative_to(ROOT)
            for line, path, code in sources(doc):
                if (ROOT / path).read_text(encoding="utf-8") != code:
                    problems.append(f"{name}:{line}: the code shown is not {path} (copy the file into the doc)")
            workdir = checkout_copy(Path(tmp) / doc.stem / "checkout")
            if "--write" in argv:
                print(f"{name}: {write(doc, workdir, Path(tmp) / doc.stem)} sample(s) rewritten")
                continue
            for block in blocks(doc):
                if block.skip is not None:
                    skipped += 1
                    print(f"{block.where}: not run here: {block.skip}")
                    continue
                checked += 1
                found = check(block, workdir, Path(tmp) / doc.stem)
                print(f"{block.where}: {'ok' if not found else 'DIFFERS'}", flush=True)
                problems += found
    for problem in problems:
        print(f"\n{problem}")
    print(f"\n{checked} block(s) run, {skipped} not run (each says why), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
