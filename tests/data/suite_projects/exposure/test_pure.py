"""Tests that never touch multiprocessing: they cannot differ between start methods."""

from textstats import word_counts


def test_counts_each_word():
    assert word_counts("the fork and the spawn") == {"the": 2, "fork": 1, "and": 1, "spawn": 1}


def test_folds_case_and_drops_punctuation():
    assert word_counts("Fork, fork! FORK.") == {"fork": 3}


def test_empty_text_has_no_words():
    assert word_counts("  ... ") == {}
