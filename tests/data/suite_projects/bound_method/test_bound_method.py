"""A unittest TestCase that starts a process whose target is one of its own methods (pexpect's
tests/test_socket.py: ``Process(target=self.socket_server)`` in ``setUp``). Under spawn and forkserver the
bound method pickles its TestCase, which under pytest holds pytest's state: pickle fails on the first
object it cannot pickle there, a local function of pytest's or of the standard library's ("Can't pickle
local object 'ArgumentParser.__init__.<locals>.identity'"). That is MP108 (an object that cannot be
pickled handed to a process), not MP101: there is nothing of this file's to move to module level.
"""

import multiprocessing
import unittest


class ServerTestCase(unittest.TestCase):
    def serve(self):
        pass

    def setUp(self):
        self.server = multiprocessing.Process(target=self.serve)
        self.server.start()

    def tearDown(self):
        self.server.join()

    def test_server_ran(self):
        self.server.join()
        self.assertEqual(self.server.exitcode, 0)


def test_local_function_target():
    """The program's own local function: MP101 is its cause (the fix moves it to module level)."""

    def work():
        pass

    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
