"""The project's own code: imported only when this method's turn has come."""

from turns_log import log

log("conftest")
