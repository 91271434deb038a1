"""A helper module beside a project's scenarios: files starting with ``_`` are not scenarios."""

FACTOR = 3


def triple(x):
    return FACTOR * x
