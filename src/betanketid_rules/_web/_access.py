"""The service's access log: method, path and status, never a query string or a client address.

The guided form carries choices in the query string, and an address identifies a person: the
log keeps neither. Uvicorn's access records are rewritten by :class:`PathOnly` before they are
formatted; :func:`log_config` is uvicorn's own logging configuration with that filter on its
access handler.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

__all__ = ["PathOnly", "log_config"]


class PathOnly(logging.Filter):
    """Strip the query string and the client address from uvicorn's access records.

    >>> record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, "%s - %s %s %s %s",
    ...     ("127.0.0.1:5000", "GET", "/fraga?applicant=x", "1.1", 200), None)
    >>> PathOnly().filter(record), record.getMessage()
    (True, '- - GET /fraga 1.1 200')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's arguments (client, method, path, version, status); keep it."""
        if isinstance(record.args, tuple) and len(record.args) == 5:
            _client, method, path, version, status = record.args
            record.args = ("-", method, str(path).split("?", 1)[0], version, status)
        return True


def log_config() -> dict[str, Any]:
    """Uvicorn's logging configuration with :class:`PathOnly` on the access handler."""
    from uvicorn.config import LOGGING_CONFIG  # noqa: PLC0415 (the web extra)

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["path_only"] = {"()": f"{__name__}.PathOnly"}
    config["handlers"]["access"]["filters"] = ["path_only"]
    return config
