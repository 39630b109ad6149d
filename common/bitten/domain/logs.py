"""Log lines as data: what one stored line holds, and what an operator searches them by."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
MAX_LIMIT = 1000
_AGO = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class LogLine(BaseModel):
    """One stored log record: where it came from, the ids it names, what it said."""

    at: datetime
    level: str
    logger: str
    function: str | None = None
    request_id: str | None = None
    signal_id: UUID | None = None
    mission_id: UUID | None = None
    trader_id: UUID | None = None
    message: str
    error: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)


class LogQuery(BaseModel):
    """Newest first; every filter given must match; `level` means that level and above."""

    mission_id: UUID | None = None
    trader_id: UUID | None = None
    signal_id: UUID | None = None
    since: datetime | None = None
    level: str | None = None
    limit: int = Field(200, ge=1, le=MAX_LIMIT)

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.upper() not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {value!r}")
        return value.upper()

    @property
    def min_level_no(self) -> int:
        return LEVELS[self.level] if self.level else 0


def parse_since(text: str, now: datetime) -> datetime:
    """'2h', '30m', '7d', '90s' before `now`, or an ISO time (UTC when it names no zone)."""
    ago = _AGO.match(text.strip().lower())
    if ago:
        return now - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        wanted = "an ISO time or an age like 2h, 30m, 7d"
        raise ValueError(f"since must be {wanted}: {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=now.tzinfo)
