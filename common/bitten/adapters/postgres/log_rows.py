"""A log record as a log_lines row: the ids in their columns, text Postgres will accept."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from bitten.logs import extra_fields

COLUMNS = (
    "at, level, level_no, logger, function, request_id, "
    "signal_id, mission_id, trader_id, message, error, fields"
)
COPY_SQL = f"COPY log_lines ({COLUMNS}) FROM STDIN"
IDS = ("signal_id", "mission_id", "trader_id")
Row = tuple[Any, ...]
_formatter = logging.Formatter()


def _uuid(value: object) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value)) if value else None
    except ValueError:
        return None  # not an id: it stays in `fields` as it was given


def _text(value: str | None) -> str | None:
    """Text Postgres accepts: no NUL, no lone surrogate (either would refuse the whole batch)."""
    if value is None:
        return None
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def row_of(record: logging.LogRecord) -> Row:
    """The log_lines row of a record: ids that parse as UUIDs get their columns."""
    fields = extra_fields(record)
    ids = {key: _uuid(getattr(record, key, None)) for key in IDS}
    for key, value in ids.items():
        if value is not None:
            fields.pop(key, None)
    function, request_id = (fields.pop(k, None) for k in ("function", "request_id"))
    error = _formatter.formatException(record.exc_info) if record.exc_info else None
    doc = _text(json.dumps(fields, ensure_ascii=False).replace("\\u0000", "\\ufffd"))
    return (
        datetime.fromtimestamp(record.created, UTC),
        record.levelname,
        record.levelno,
        record.name,
        None if function is None else str(function),
        None if request_id is None else str(request_id),
        *ids.values(),
        _text(record.getMessage()),
        _text(error),
        doc,
    )


def dropped_row(count: int) -> Row:
    """The gap, on record where operators search: how many lines the full buffer dropped."""
    message = f"{count} log lines dropped: the buffer was full while Postgres was unreachable"
    fields = json.dumps({"dropped": count})
    where = (datetime.now(UTC), "WARNING", 30, "bitten.log_sink", None, None)
    return (*where, None, None, None, message, None, fields)
