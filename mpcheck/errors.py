"""Errors the front ends turn into a one-line message and exit code 2."""


class UsageError(Exception):
    """Bad input from the user: an unknown name, a bad value, a file that cannot be used."""
