"""Structured JSON logs: one object per line with signal/mission/user/trace fields."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

FIELDS = ("signal_id", "mission_id", "user_id", "trace", "function")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            if hasattr(record, key):
                doc[key] = str(getattr(record, key))
        if record.exc_info:
            doc["error"] = self.formatException(record.exc_info)
        return json.dumps(doc)


def configure(level: str = "INFO") -> None:
    """Idempotent: JSON to stderr on the root bitten logger."""
    logger = logging.getLogger("bitten")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def get(name: str) -> logging.Logger:
    return logging.getLogger(f"bitten.{name}")
