"""``mpcheck suite`` on the example projects of tests/data/suite_projects, run as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

from . import DATA
from .installed import SOURCE_ROOT

#: example projects for ``mpcheck suite`` (tests/data/suite_projects/README.md says what each shows)
PROJECTS = DATA / "suite_projects"


def suite(
    project: str, tmp_path: Path, *args: str, env: Optional[Dict[str, str]] = None
) -> subprocess.CompletedProcess:
    """``python -m mpcheck suite ARGS`` in a copy of ``project`` under ``tmp_path`` (this checkout's mpcheck)."""
    where = tmp_path / project
    shutil.copytree(PROJECTS / project, where)
    full_env = dict(os.environ, **(env or {}))
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [SOURCE_ROOT, full_env.get("PYTHONPATH")]))
    full_env.pop("MPCHECK_START_METHOD", None)  # this session may itself run under mpcheck suite
    full_env["COLUMNS"] = "250"
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", "suite", *args],
        cwd=where,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
