"""``mpcheck sanitize [--json PATH] [--method M] -- CMD [ARGS...]``: run a command once, watched.

The command runs as it would anyway (under the start method it uses, or ``--method``'s), in a session
of its own under :class:`mpcheck.engine.supervise.Supervisor`, with ``$MPCHECK_SANITIZE`` naming a
folder: the start-up hook that mpcheck installs watches every Python process the command starts
(:mod:`.hook`), and what they saw is read back (:mod:`.findings`) and shown with the command's own
exit code. Exit codes: ``mpcheck.errors.EXIT_CODES["sanitize"]`` (the one table; docs/exit-codes.md):
a command that fails (exits non-zero, or is stopped by --timeout) is exit 1 even without a hazard.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from typing import Any, Dict, List, Optional

from .. import files
from ..engine.supervise import Supervisor
from ..errors import EXIT_FAILED, EXIT_OK, Interrupted, UsageError
from ..render import github, styles
from ..runtime import current_platform, methods_here, report_header, runtime_label
from ..start_method.hook import ENV as METHOD_ENV
from . import findings
from .hook import ENV


def _command(args: argparse.Namespace) -> List[str]:
    command = list(args.argv)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise UsageError("a command to run is needed: mpcheck sanitize [OPTIONS] -- CMD [ARGS...]")
    program = command[0]
    if os.sep not in program and shutil.which(program) is None:
        raise UsageError(f"{program}: no such command")
    if os.sep in program and not os.access(program, os.X_OK):
        raise UsageError(f"{program}: not an executable file")
    path = program if os.sep in program else shutil.which(program)
    if os.name == "posix" and path is not None and not _runnable(path):
        raise UsageError(f"{program}: not a program the system can run (no #! line): run it with its interpreter")
    return command


#: how a file the kernel runs itself begins: a #! line, an ELF or a Mach-O (thin or fat) binary
_RUNNABLE = (b"#!", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def _runnable(path: str) -> bool:
    """Whether the kernel runs ``path`` itself (else exec fails, and a shell would run it as a script)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return True  # not readable here: let the run say what is wrong
    return head.startswith(_RUNNABLE)


def watch(
    command: List[str], method: Optional[str] = None, cwd: Optional[str] = None, timeout: Optional[float] = None
) -> Dict[str, Any]:
    """Run ``command`` watched; its exit code (None: stopped), leftovers and the folder of findings."""
    folder = tempfile.mkdtemp(prefix="mpcheck-sanitize-")
    env = dict(os.environ, **{ENV: folder})
    env.pop(METHOD_ENV, None)
    if method:
        env[METHOD_ENV] = method
    supervisor = Supervisor(jobs=1)
    outcome: Dict[str, Any] = {"folder": folder, "returncode": None, "leftovers": [], "timed_out": False}

    def one(_: int) -> None:
        running = supervisor.running(
            command, env=env, stdout=None, stderr=None, marker=f"{ENV}={folder}", cwd=cwd, held=True
        )
        with running as child:
            if child is None:
                return
            outcome["returncode"] = supervisor.wait(child, timeout)
            if outcome["returncode"] is not None:
                outcome["leftovers"] = supervisor.drain(child)
            elif not supervisor.cancelled:
                outcome["timed_out"] = True
                supervisor.kill(child)

    try:
        supervisor.map(one, [0])
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(f"{command[0]}: cannot be run: {exc.strerror or exc}") from None
    outcome["cancelled"] = supervisor.cancelled
    return outcome


def run(args: argparse.Namespace) -> int:

    command = _command(args)
    if args.method and args.method not in methods_here():
        raise UsageError(f"--method {args.method}: this platform has no {args.method!r} start method")
    files.check_outputs([("--json", args.json)])
    outcome = watch(command, args.method, timeout=args.timeout)
    folder = outcome["folder"]
    try:
        if outcome["cancelled"]:
            raise Interrupted("the command and everything it started were stopped")
        observed = findings.read(folder, current_platform(), sys.version_info[:3])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if observed.processes == 0:
        raise UsageError(
            f"{command[0]} ran no Python process that mpcheck could watch: is mpcheck installed in the Python "
            "it runs? (its start-up hook is what watches)"
        )
    here = os.getcwd()
    console = styles.console()
    shown = " ".join(command)
    ended = f"stopped after {args.timeout:g} s" if outcome["timed_out"] else f"exited {outcome['returncode']}"
    console.print(
        f"mpcheck sanitize · {runtime_label()} · {current_platform()} · `{shown}` {ended} · "
        f"{observed.processes} Python process(es) watched",
        highlight=False,
        soft_wrap=True,
    )
    for leftover in outcome["leftovers"]:
        console.print(f"warning: left running by the command (killed): {leftover}", style="yellow", highlight=False)
    findings.show(console, observed.hazards, here)
    console.print(summary_line(observed), highlight=False)
    github.append_summary(step_summary(shown, ended, observed, here))
    if args.json:
        data = {
            **report_header(findings.FORMAT),
            "command": command,
            "method": args.method,
            "exit_code": outcome["returncode"],
            "timed_out": outcome["timed_out"],
            "processes": observed.processes,
            "hazards": [h.to_json(here) for h in observed.hazards],
        }
        files.write_json(args.json, data)
    failed = outcome["timed_out"] or outcome["returncode"] != 0
    if failed:
        console.print(
            f"mpcheck: the command {ended} (exit 1: a command that fails is never a pass)", style="red", highlight=False
        )
    return EXIT_FAILED if observed.hazards or failed else EXIT_OK


def summary_line(observed: findings.Observed) -> str:
    watched = f"{observed.processes} process(es) watched"
    if not observed.hazards:
        return f"no hazard: nothing seen that another start method would do differently ({watched})"
    return f"{len(observed.hazards)} hazard(s): the start methods would not agree on this program ({watched})"


def step_summary(command: str, ended: str, observed: findings.Observed, here: str) -> str:
    """The job summary: what ran, the totals, then each hazard (where, its pitfall, the methods it breaks,
    the evidence, the fix)."""
    lines = [f"## mpcheck sanitize · {runtime_label()} · {current_platform()}", ""]
    lines += [f"{github.md_code(command, limit=300)} {github.md_text(ended)}", ""]
    lines += [f"**{summary_line(observed)}**", ""]
    if not observed.hazards:
        return "\n".join(lines) + "\n"
    lines += ["| where | pitfall | breaks under | evidence | fix |", "| --- | --- | --- | --- | --- |"]
    shown = observed.hazards[: github.SUMMARY_ITEMS]
    for h in shown:
        lines.append(
            f"| {github.md_code(h.where(here), table=True)} | {h.code} {github.md_text(h.pitfall.title)} | "
            f"{', '.join(h.methods)} | {github.md_text(h.evidence)} | {github.md_text(h.pitfall.fix)} |"
        )
    more = github.more_line(len(observed.hazards), len(shown), "every hazard is in the job's log")
    return "\n".join(lines + ([f"\n{more}"] if more else [""])) + "\n"
