"""A toy project under test: its workers square numbers."""


def square(x):
    return x * x
