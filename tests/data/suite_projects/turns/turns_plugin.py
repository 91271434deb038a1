"""A plugin (``-p turns_plugin``): imported with pytest, before any conftest.py."""

from turns_log import log

log("plugin")
