"""When the paper market is shut: the FX weekend, and gaps in the replayed data."""

from __future__ import annotations

from datetime import datetime

# The retail FX week: Sunday 22:00 UTC to Friday 22:00 UTC (brokers differ by an hour with DST).
WEEK_OPENS = (6, 22)  # Sunday, 22:00
WEEK_CLOSES = (4, 22)  # Friday, 22:00


def weekend_reason(now: datetime) -> str | None:
    """'the FX market is closed for the weekend' between Friday 22:00 and Sunday 22:00 UTC."""
    day, hour = now.weekday(), now.hour
    closed = (
        day == 5
        or (day == WEEK_CLOSES[0] and hour >= WEEK_CLOSES[1])
        or (day == WEEK_OPENS[0] and hour < WEEK_OPENS[1])
    )
    return (
        "the FX market is closed for the weekend (Friday 22:00 to Sunday 22:00 UTC)"
        if closed
        else None
    )
