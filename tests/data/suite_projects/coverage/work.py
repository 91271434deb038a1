"""The code under coverage: one function only a child runs, one only a test without a process runs."""


def in_child(x):
    return x * x


def in_parent(x):
    return x + 1
