"""Log lines a deployment can search: one JSON object per line in production (plain text in
dev), each with the id of the request it was written for.

The id comes from ``asgi_correlation_id``'s middleware (``X-Request-ID``: the proxy's, if it
sent a well-formed one, else a new one), which also returns it on the response, so a resident's
"request id" on a support call finds every line the server wrote for that request. What goes
into messages is the code's business: phones masked, never a code, token or text body
(``tests/backend/test_backend_logs.py``).
"""

import logging
import sys
from typing import TextIO

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_FIELDS = "{asctime}{levelname}{name}{correlation_id}{message}"
_RENAMED = {
    "asctime": "time",
    "levelname": "level",
    "name": "logger",
    "correlation_id": "request_id",
}
_TEXT = "%(levelname)s: [%(correlation_id)s] %(name)s: %(message)s"


def log_handler(json_lines: bool, stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(CorrelationIdFilter(default_value="-"))
    if json_lines:
        handler.setFormatter(
            JsonFormatter(_FIELDS, style="{", rename_fields=_RENAMED, json_ensure_ascii=False)
        )
    else:
        handler.setFormatter(logging.Formatter(_TEXT))
    return handler


def configure_logging(json_lines: bool, stream: TextIO | None = None) -> None:
    """The root logger (and uvicorn's, which would otherwise keep their own handlers) writes
    through one handler at INFO."""
    root = logging.getLogger()
    root.handlers[:] = [log_handler(json_lines, stream)]
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
