"""pytest as the ``pytest`` command runs it, for ``mpcheck suite`` (see ``__main__``). Empty on purpose."""
