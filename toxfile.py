"""tox finds pyenv's installed Pythons, and the free-threaded builds of tools/build-free-threaded, as nox
does (see noxfile.py), with no `--discover` to type.

tox looks interpreters up on PATH, where pyenv has only its shims, which fail unless a version is
selected; this inline plugin adds each installed version's python, and each ``python3.Xt`` in the
free-threaded builds' cache, to tox's ``--discover`` list.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, List

from tox.plugin import impl


def pyenv_pythons() -> List[str]:
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    versions = Path(root) / "versions"
    if not versions.is_dir():
        return []
    # only Python 3 (tox's discovery stops at a Python 2 it cannot query)
    found = [
        p for p in sorted(versions.iterdir()) if p.name.startswith(("3.", "pypy3")) and (p / "bin" / "python").exists()
    ]
    return [str(p / "bin" / "python") for p in found]


def free_threaded_pythons() -> List[str]:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home = Path(os.environ.get("MPCHECK_FREE_THREADED_HOME") or cache / "mpcheck" / "free-threaded")
    found = (p / "bin" / f"python{p.name}" for p in sorted(home.glob("3.*t")))
    return [str(exe) for exe in found if exe.exists()]


@impl
def tox_add_core_config(core_conf: Any, state: Any) -> None:
    options = state.conf.options
    options.discover = [*getattr(options, "discover", []), *pyenv_pythons(), *free_threaded_pythons()]
