"""The workflows and action.yml as the tests read them: with check-jsonschema's ruamel.yaml where the workflow
tools are installed, with PyYAML elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict

#: check-jsonschema and zizmor need CPython 3.10+, so the `test` extra installs them only there
#: (pyproject.toml). Elsewhere their tests skip; there, a missing tool is a broken install.
TOOLS_INSTALLED = sys.version_info >= (3, 10) and sys.implementation.name == "cpython"


def load_yaml(path: Path) -> Dict[str, Any]:
    if TOOLS_INSTALLED:
        from ruamel.yaml import YAML  # comes with check-jsonschema

        return YAML(typ="safe").load(path)
    import yaml  # the `test` extra's PyYAML, below 3.10 and on PyPy

    return yaml.safe_load(path.read_text(encoding="utf-8"))
