"""Tests that never touch multiprocessing: they cannot differ between start methods."""


def test_addition():
    assert 1 + 1 == 2


def test_strings():
    assert "fork".upper() == "FORK"


def test_lists():
    assert sorted([3, 1, 2]) == [1, 2, 3]
