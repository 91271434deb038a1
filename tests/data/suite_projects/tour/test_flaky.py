import multiprocessing
import os

import pytest


def test_flaky_under_forkserver():
    """Fails the first time it runs under forkserver, passes afterwards: flaky, not a difference."""
    state = os.environ.get("TOUR_STATE")
    if not state:
        pytest.skip("TOUR_STATE (a folder) not set")
    method = multiprocessing.get_start_method()
    marker = os.path.join(state, f"ran-{method}")
    first = not os.path.exists(marker)
    open(marker, "w").close()
    assert not (first and method == "forkserver"), "first run under forkserver"
