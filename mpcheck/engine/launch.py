"""The host side of the cell protocol: start ``python -m mpcheck.engine.cell`` and collect what it left.

A cell is one fresh interpreter that runs a target (a scenario file, or a probe's function or script)
under a start method, in a session of its own (:mod:`.supervise`). It reports its facts through a JSON
file named by ``MPCHECK_RESULT`` (:mod:`mpcheck.facts`), never on stdout, and its stdout and stderr go
to files whose tails are kept. :func:`launch` is the one place a cell is started, waited for, killed at
its time limit (after a traceback dump that says where it hung) and checked for leftovers; the catalog
and the probe differ only in what they make of the :class:`Launched` outcome.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from ..facts import METHOD_ENV, OWNER_ENV, RESULT_ENV
from .supervise import Supervisor

TAIL_BYTES = 4000
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


def _importable_without_pythonpath() -> bool:
    """True when mpcheck is installed: then PYTHONPATH must not gain site-packages, which would put
    every installed package ahead of the standard library in the cell's sys.path."""
    import sysconfig

    installed = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    return os.path.realpath(PACKAGE_PARENT) in installed


#: A source checkout's parent folder, which cells need on PYTHONPATH to import mpcheck; None when installed.
CELL_PYTHONPATH = None if _importable_without_pythonpath() else PACKAGE_PARENT


@dataclass
class Launched:
    """One cell interpreter's outcome, before any judgement."""

    #: None: killed at the time limit, or by a cancel (then ``interrupted``)
    returncode: Optional[int] = None
    interrupted: bool = False
    #: processes of its tree still alive after it exited (killed), described
    leftovers: List[str] = field(default_factory=list)
    #: what of its temporary folder could not be removed once it had ended (``path: Error: message``)
    leftover_files: List[str] = field(default_factory=list)
    duration_s: float = 0.0
    stdout_tail: str = ""
    stderr_tail: str = ""
    #: what it wrote through :mod:`mpcheck.facts` (None: nothing readable)
    result: Optional[Dict[str, Any]] = None


def tail(path: Path, limit: int = TAIL_BYTES) -> str:
    """The last ``limit`` bytes of a file as text (``…`` in front when cut); "" when unreadable."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - limit))
            data = fh.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return ("…" + text) if size > limit else text


def remove_folder(folder: Path) -> List[str]:
    """Remove ``folder`` and everything in it; what could not be removed, described (never raised).

    Windows cannot delete a file that a process still holds open (one that escaped the cell's tree), and
    3.9's ``TemporaryDirectory`` has no ``ignore_cleanup_errors`` (its clean-up raises, bpo-43153): a cell's
    folder that will not go is a leftover named in the cell, never the end of the run.
    """
    failures: List[str] = []

    def note(_function: Callable[..., Any], path: str, error: Any) -> None:
        exc = error if isinstance(error, BaseException) else error[1]  # onexc's exception, onerror's exc_info
        failures.append(f"{path}: {type(exc).__name__}: {exc}")

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=note)
    else:
        shutil.rmtree(folder, onerror=note)
    return failures


def cell_env(result_path: Path) -> Dict[str, str]:
    """The cell's environment: ours, less any cell's protocol entries, plus its result file.

    On Linux the cell's temporary files go into its own folder (``TMPDIR``), removed with it: what
    multiprocessing makes there (``pymp-*`` folders, a forkserver's socket) is gone even when the tree
    was killed before its finalizers ran. Not elsewhere: macOS's long ``TMPDIR`` plus a folder more
    can exceed the 104 bytes of an AF_UNIX socket path (gh-132124).
    """
    env = {k: v for k, v in os.environ.items() if k not in (RESULT_ENV, OWNER_ENV, METHOD_ENV)}
    if sys.platform.startswith("linux"):
        env["TMPDIR"] = str(result_path.parent)
    if CELL_PYTHONPATH:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (CELL_PYTHONPATH, env.get("PYTHONPATH")) if p)
    env[RESULT_ENV] = str(result_path)
    # spawn and forkserver children honour this; an inherited faulthandler.enable() reaches only fork's.
    env["PYTHONFAULTHANDLER"] = "1"
    return env


def cell_command(target: str, method: str, set_method: str, timeout: float, extra: Sequence[str] = ()) -> List[str]:
    """``python -m mpcheck.engine.cell TARGET METHOD SET_METHOD DUMP_AFTER [ARGS...]`` (see :mod:`.cell`)."""
    dump_after = max(timeout - min(1.0, timeout * 0.1), 0.1)  # Windows only: see cell.py
    return [sys.executable, "-m", "mpcheck.engine.cell", target, method, set_method, f"{dump_after:.3f}", *extra]


def launch(
    supervisor: Supervisor,
    target: str,
    method: str,
    set_method: str,
    timeout: float,
    extra: Sequence[str] = (),
    env: Optional[Dict[str, str]] = None,
) -> Optional[Launched]:
    """Run one cell to its end or its time limit; None if the run was cancelled before it started.

    ``env``: entries added to the cell's environment (the sanitizer's folder, for one).
    """
    launched = Launched()
    tmpdir = Path(tempfile.mkdtemp(prefix="mpcheck-"))
    try:
        out_path, err_path, result_path = tmpdir / "stdout", tmpdir / "stderr", tmpdir / "result.json"
        cmd = cell_command(target, method, set_method, timeout, extra)
        marker = f"{RESULT_ENV}={result_path}"
        env = {**cell_env(result_path), **(env or {})}
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            running = supervisor.running(cmd, env=env, stdout=out, stderr=err, marker=marker)
            with running as child:
                if child is None:
                    return None
                launched.returncode = supervisor.wait(child, timeout)
                if supervisor.cancelled:
                    launched.returncode = None  # ended by the cancel's kill, or racing it: interrupted
                if launched.returncode is None:
                    if not supervisor.cancelled:
                        child.tree.dump_tracebacks()
                    supervisor.kill(child)
                    launched.interrupted = supervisor.cancelled
                else:
                    launched.leftovers = supervisor.drain(child)
                launched.duration_s = round(time.monotonic() - child.started, 3)
        launched.stderr_tail = tail(err_path)
        launched.stdout_tail = tail(out_path)
        try:
            data = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        launched.result = data if isinstance(data, dict) else None
    finally:
        launched.leftover_files = remove_folder(tmpdir)
    return launched
