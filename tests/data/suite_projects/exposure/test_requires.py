"""One test fails because the library requires fork; another, in the same file, passes a local function
to a Process. Each test's cause is its own."""

import multiprocessing

import needs_fork


def test_library_requires_fork():
    assert needs_fork.install()


def test_local_target():
    def work():
        pass

    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
