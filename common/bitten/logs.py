"""Structured JSON logs: one object per line, every `extra` field kept (signal, mission, trader),
and the function and request id of the invocation that logged it."""

from __future__ import annotations

import json
import logging
import math
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from enum import Enum
from functools import cache
from typing import Any

CORE = ("at", "level", "logger", "message", "error", "stack")  # an extra never hides these
_invocation: ContextVar[tuple[str, str] | None] = ContextVar("bitten_invocation", default=None)


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


class InvocationFilter(logging.Filter):
    """Stamps `function` and `request_id` of the running invocation on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _invocation.get()
        if current is not None:
            for key, value in zip(("function", "request_id"), current, strict=True):
                if not hasattr(record, key):  # an explicit extra wins
                    setattr(record, key, value)
        return True


@contextmanager
def invocation(function: str, request_id: str | None = None) -> Iterator[str]:
    """Every record logged inside names `function` and the request id (generated when None);
    the bitten handlers are flushed at the end, so a frozen Lambda keeps no lines back."""
    rid = request_id or str(uuid.uuid4())
    token = _invocation.set((function, rid))
    try:
        yield rid
    finally:
        _invocation.reset(token)
        flush_handlers()


def flush_handlers() -> None:
    """Flush every handler of the bitten logger (a failing one never fails the caller)."""
    for handler in list(logging.getLogger("bitten").handlers):
        try:
            handler.flush()
        except Exception as err:  # noqa: BLE001 - logging must never fail the work
            sys.stderr.write(f"log handler {handler!r} failed to flush: {err}\n")


def sink_stats() -> dict[str, dict[str, int]]:
    """Each bitten handler that counts what it stores (the Postgres sink): its figures."""
    logger = logging.getLogger("bitten")
    return {type(h).__name__: h.stats() for h in logger.handlers if hasattr(h, "stats")}


def attach(handler: logging.Handler) -> None:
    """Add `handler` to the bitten logger with the invocation stamp (idempotent)."""
    if not any(isinstance(f, InvocationFilter) for f in handler.filters):
        handler.addFilter(InvocationFilter())
    logger = logging.getLogger("bitten")
    if handler not in logger.handlers:
        logger.addHandler(handler)


def detach(handler: logging.Handler) -> None:
    logging.getLogger("bitten").removeHandler(handler)


def configure(level: str = "INFO") -> None:
    """Idempotent: JSON to stderr on the root bitten logger."""
    logger = logging.getLogger("bitten")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        attach(handler)
    logger.setLevel(level)
    logger.propagate = False
    # The Postgres pool says INFO three times per transaction; its warnings (cannot connect) stay.
    logging.getLogger("psycopg.pool").setLevel(logging.WARNING)


def get(name: str) -> logging.Logger:
    return logging.getLogger(f"bitten.{name}")
