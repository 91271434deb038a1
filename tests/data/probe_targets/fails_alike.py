"""Fails the same way under every start method."""


def main():
    raise ValueError("bad input: 42")
