"""The later methods' pytest collects its tests in the reverse order (as pytest-randomly's own order would
differ from the first run's), and one test more that the first method's run never reports."""

import os


def pytest_collection_modifyitems(items):
    if os.environ.get("MPCHECK_START_METHOD") != "fork":
        items.reverse()
