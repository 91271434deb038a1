"""tox finds pyenv's installed Pythons as nox does (see noxfile.py), with no `--discover` to type.

tox looks interpreters up on PATH, where pyenv has only its shims, which fail unless a version is
selected; this inline plugin adds each installed version's python to tox's ``--discover`` list.
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


@impl
def tox_add_core_config(core_conf: Any, state: Any) -> None:
    options = state.conf.options
    options.discover = [*getattr(options, "discover", []), *pyenv_pythons()]
