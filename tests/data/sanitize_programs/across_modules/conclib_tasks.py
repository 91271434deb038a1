from conclib import concurrent


@concurrent
def add_one(value):
    return value + 1
