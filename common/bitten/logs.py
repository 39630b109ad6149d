"""Structured JSON logs: one object per line, every `extra` field kept (signal, mission, trader)."""

from __future__ import annotations

import json
import logging
import math
import sys
from datetime import UTC, date, datetime, time
from enum import Enum
from functools import cache
from typing import Any

CORE = ("at", "level", "logger", "message", "error", "stack")  # an extra never hides these


@cache
def _standard_attributes() -> frozenset[str]:
    """What every LogRecord carries (this Python's set), plus what formatters add to it."""
    return frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def json_safe(value: Any) -> Any:
    """`value` as JSON can hold it: ids, amounts and times as strings, containers walked."""
    if isinstance(value, Enum):
        return json_safe(value.value)
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)  # UUID, Decimal, Path, anything else: its text form


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The `extra=` keys of a log call: whatever the record holds beyond the standard ones."""
    standard = _standard_attributes()
    return {k: json_safe(v) for k, v in vars(record).items() if k not in standard}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, extras, error."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extra_fields(record).items():
            doc[f"extra_{key}" if key in CORE else key] = value
        if record.exc_info:
            doc["error"] = self.formatException(record.exc_info)
        if record.stack_info:
            doc["stack"] = self.formatStack(record.stack_info)
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
    # The Postgres pool says INFO three times per transaction; its warnings (cannot connect) stay.
    logging.getLogger("psycopg.pool").setLevel(logging.WARNING)


def get(name: str) -> logging.Logger:
    return logging.getLogger(f"bitten.{name}")
