"""The GitHub Action's middle step (``action.yml`` at the repository's root): inputs in, mpcheck run, outputs out.

``action.yml`` installs mpcheck into the job's Python, then runs ``python -m mpcheck.action`` there with
the action's inputs in ``MPCHECK_INPUT_*`` variables (passed through the environment, never pasted
into a script). This turns them into one mpcheck command line, runs it, and writes to
``$GITHUB_OUTPUT`` the command's exit code, the reports it wrote and the artifact's name. It exits 0
itself, so that the action can upload the reports before its last step fails the job with that code.

Inputs: ``command`` (``scenarios`` runs ``mpcheck run``; ``suite``, ``lint``, ``sanitize``, ``merge`` run
theirs), ``args`` (split as a shell splits words: quotes, no variables; ``merge``'s report paths may be
glob patterns, expanded here), ``json`` and ``html`` (report paths, "" for none; ``lint`` writes workflow
annotations instead, ``merge`` writes no JSON), ``artifact`` (a name, or "" for one made from the
command, the OS, the Python and the job), ``install`` (what to install into the job's Python first:
``auto``, the project in the working folder with its test extra, and pytest for ``suite``; "" for
nothing; else pip's arguments). For ``scenarios`` the working folder (the repository's root) is put on
``PYTHONPATH``, so that the user's scenario files import the project under test as its tests do.
"""

from __future__ import annotations

import glob
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

from .expect import is_free_threaded
from .render.github import annotation

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: the action's ``command`` input -> the mpcheck command it runs
COMMANDS = {"scenarios": "run", "suite": "suite", "lint": "lint", "sanitize": "sanitize", "merge": "merge"}
#: which report options each command takes
REPORTS = {"run": ("json", "html"), "suite": ("json", "html"), "sanitize": ("json",), "merge": ("html",), "lint": ()}
PREFIX = "MPCHECK_INPUT_"
#: the ``install`` input that installs the project under test as its own CI would (the default)
AUTO = "auto"
#: the extras a project's test dependencies go by, in the order looked for
TEST_EXTRAS = ("test", "tests", "testing")
_METADATA = ("pyproject.toml", "setup.py", "setup.cfg")


class ActionError(Exception):
    """An input the action cannot use: one line in the log, exit 2."""


def _expand(words: Sequence[str]) -> List[str]:
    """Glob patterns among ``words`` replaced by the files they match (sorted), as a shell would; a pattern
    that matches nothing stays as written (the command then names it)."""
    out: List[str] = []
    for word in words:
        found = sorted(glob.glob(word)) if any(c in word for c in "*?[") else []
        out.extend(found or [word])
    return out


def command_line(inputs: Mapping[str, str]) -> List[str]:
    """The mpcheck arguments for the action's inputs (``command``, ``args``, ``json``, ``html``)."""
    name = inputs.get("command", "").strip() or "scenarios"
    if name not in COMMANDS:
        raise ActionError(f"command: {name!r} is not one of {', '.join(COMMANDS)}")
    command = COMMANDS[name]
    try:
        args = shlex.split(inputs.get("args", ""))
    except ValueError as exc:
        raise ActionError(f"args: cannot be split into words ({exc})") from None
    if command == "merge":
        args = _expand(args)
    reports: List[str] = []
    for kind in REPORTS[command]:
        path = inputs.get(kind, "").strip()
        if path and f"--{kind}" not in args:
            reports += [f"--{kind}", path]
    if command == "lint" and not any(a == "--format" or a.startswith("--format=") for a in args):
        reports += ["--format", "github"]
    # before the user's arguments: `mpcheck suite` passes everything after `--` to pytest
    return [command, *reports, *args]


def _extras(folder: Path) -> List[str]:
    """The optional-dependency groups pyproject.toml declares (none when it cannot be read)."""
    try:
        with (folder / "pyproject.toml").open("rb") as fh:
            data: Dict[str, Any] = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return []
    groups = data.get("project", {}).get("optional-dependencies", {})
    return [str(g) for g in groups] if isinstance(groups, dict) else []


def install_args(spec: str, command: str, folder: Path) -> List[str]:
    """pip's ``install`` arguments for the ``install`` input ([] for nothing to install).

    ``auto``: the project in ``folder`` when it has packaging metadata (editable, with the first of
    :data:`TEST_EXTRAS` its pyproject.toml declares), and pytest for ``suite`` (which runs it);
    "" or ``none``: nothing; anything else: those words, split as a shell does.
    """
    spec = spec.strip()
    if spec.lower() in ("", "none", "false"):
        return []
    if spec.lower() != AUTO:
        try:
            return shlex.split(spec)
        except ValueError as exc:
            raise ActionError(f"install: cannot be split into words ({exc})") from None
    args: List[str] = []
    if any((folder / name).is_file() for name in _METADATA):
        extra = next((e for e in TEST_EXTRAS if e in _extras(folder)), None)
        args += ["-e", f".[{extra}]" if extra else "."]
    if command == "suite":
        args.append("pytest")
    return args


def install(args: Sequence[str]) -> int:
    """``python -m pip install ARGS`` into this Python, printed in the log; pip's exit code."""
    if not args:
        return 0
    argv = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *args]
    print("install: " + shlex.join(argv[1:]), flush=True)
    return subprocess.call(argv)


def written(argv: Sequence[str]) -> List[str]:
    """The report files a command line asks for that exist now."""
    paths = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--json", "--html", "--junit", "--markdown")]
    return [p for p in paths if os.path.isfile(p)]


def artifact_name(inputs: Mapping[str, str], env: Mapping[str, str]) -> str:
    if inputs.get("artifact", "").strip():
        return inputs["artifact"].strip()
    impl = "pypy" if sys.implementation.name == "pypy" else "py"
    t = "t" if is_free_threaded() else ""  # 3.14 and 3.14t in one matrix: two artifacts
    parts = ["mpcheck", inputs.get("command", "").strip() or "scenarios", env.get("RUNNER_OS", sys.platform)]
    parts += [f"{impl}{sys.version_info[0]}.{sys.version_info[1]}{t}", env.get("GITHUB_JOB", "")]
    return "-".join(p for p in parts if p).lower()


def _output(env: Mapping[str, str], values: Dict[str, str]) -> None:
    """Step outputs, in the multi-line form ``name<<DELIMITER`` (paths may hold anything but the delimiter)."""
    target = env.get("GITHUB_OUTPUT")
    lines = []
    for key, value in values.items():
        delimiter = "MPCHECK_EOF"
        while delimiter in value:
            delimiter += "_"
        lines.append(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write("".join(lines))
    else:
        sys.stdout.write("".join(lines))


def main(env: Optional[Mapping[str, str]] = None) -> int:
    env = os.environ if env is None else env
    inputs = {k[len(PREFIX) :].lower(): v for k, v in env.items() if k.startswith(PREFIX)}
    try:
        argv = command_line(inputs)
        packages = install_args(inputs.get("install", AUTO), argv[0], Path.cwd())
    except ActionError as exc:
        print(annotation("error", str(exc), title="mpcheck action"))
        _output(env, {"exit-code": "2", "files": "", "artifact": ""})
        return 0
    installed = install(packages)
    if installed:
        message = f"install: pip install {shlex.join(packages)} exited {installed} (the `install` input: docs/ci.md)"
        print(annotation("error", message, title="mpcheck action"))
        _output(env, {"exit-code": "2", "files": "", "artifact": ""})
        return 0
    print("mpcheck " + shlex.join(argv), flush=True)
    # the action's own variables are not the command's (the programs sanitize or suite run inherit its environment)
    child_env = {k: v for k, v in env.items() if not k.startswith(PREFIX) and k != "MPCHECK_PYTHON"}
    if argv[0] == "run":  # the user's scenarios import the project under test from the repository's root
        child_env["PYTHONPATH"] = os.pathsep.join(p for p in (os.getcwd(), env.get("PYTHONPATH", "")) if p)
    code = subprocess.call([sys.executable, "-m", "mpcheck", *argv], env=child_env)
    files = written(argv)
    _output(env, {"exit-code": str(code), "files": "\n".join(files), "artifact": artifact_name(inputs, env)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
