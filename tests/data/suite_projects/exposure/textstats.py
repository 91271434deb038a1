"""Ordinary project code that has nothing to do with processes."""

from collections import Counter
from typing import Dict


def word_counts(text: str) -> Dict[str, int]:
    """How often each word occurs, case folded, punctuation at either end of a word dropped."""
    words = (word.strip(".,;:!?\"'()").casefold() for word in text.split())
    return dict(Counter(word for word in words if word))
