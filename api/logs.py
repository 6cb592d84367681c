"""Structured logs: one JSON object per line, ids and outcomes only, never clinical content."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Renders a record and the `extra=` fields given to it as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


class PathOnly(logging.Filter):
    """uvicorn's access line would carry the query string, and a GraphQL request over GET
    holds its document and variables there: keep the path, drop what follows `?`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5
                and isinstance(args[2], str)):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


class NoFrames(logging.Filter):
    """At DEBUG the websockets library logs every frame, in and out (through uvicorn's
    logger when uvicorn serves): a WebSocket's operations and answers, clinical content
    included."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.DEBUG and record.msg in ("< %s", "> %s"))


def configure(level: str = "INFO") -> None:
    """Send every logger, uvicorn's included, through the JSON formatter on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PathOnly())
    handler.addFilter(NoFrames())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # One line per witness request, every second, says nothing api.witness.client does not.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
