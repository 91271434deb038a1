"""Subtests that fail only under some methods: the test has failed there, although unittest's own call
passed (pytest reports the failed subtest on its own)."""

import multiprocessing
import unittest


class TestMethods(unittest.TestCase):
    def test_each_case(self):
        for case in ("plain", "forked"):
            with self.subTest(case=case):
                if case == "forked":
                    self.assertEqual(multiprocessing.get_start_method(), "fork")


try:
    import _pytest.subtests  # noqa: F401  (pytest 9 and later: the subtests fixture)
except ImportError:  # pytest 8 (Python 3.9) has none
    pass
else:

    def test_each_case_with_the_fixture(subtests):
        for case in ("plain", "forked"):
            with subtests.test(msg="method", case=case):
                if case == "forked":
                    assert multiprocessing.get_start_method() == "fork"
