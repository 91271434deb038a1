"""A module whose import fails."""

raise RuntimeError("configuration missing")
