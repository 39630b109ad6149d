"""A trader's trading day: it ends with the 18:00 drill in their own time zone.

Day D runs from 18:00 local on D-1 to 18:00 local on D (23 or 25 hours across a DST change),
so every trade lands in exactly one report and the shot budget resets when the drill goes out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DRILL_TIME = time(18, 0)
DEFAULT_ZONE = "UTC"
NEW_YORK = ZoneInfo("America/New_York")  # the FX week opens and closes at 17:00 New York
MARKET_HOLIDAYS = {(1, 1), (12, 25)}  # New York dates on which the interbank market is shut
MIN_MARKET_HOURS = 6  # a day with fewer open hours in its window is treated like a weekend


class UnknownTimeZone(ValueError):
    """Not an IANA time zone name such as Europe/London."""


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {DEFAULT_ZONE}


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; UnknownTimeZone naming an example when it is not one."""
    if name in _zone_names():
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise UnknownTimeZone(f"{name!r} is not a time zone; use a name like Europe/London or UTC")


def trading_day(at: datetime, tz: ZoneInfo) -> date:
    """The trading day `at` belongs to: today until 18:00 local, tomorrow from then on."""
    local = at.astimezone(tz)
    return local.date() + timedelta(days=1) if local.time() >= DRILL_TIME else local.date()


def day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC [start, end) of trading day `day`: 18:00 local the day before to 18:00 local."""
    end = datetime.combine(day, DRILL_TIME, tzinfo=tz)
    start = datetime.combine(day - timedelta(days=1), DRILL_TIME, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def due_day(now: datetime, tz: ZoneInfo) -> date | None:
    """The day whose drill is due at `now`: from 18:00 local until local midnight, else None."""
    local = now.astimezone(tz)
    return local.date() if local.time() >= DRILL_TIME else None


def _market_open(at: datetime) -> bool:
    """Is the interbank FX market open at `at`? Its dates roll at 17:00 New York, so the week
    runs Sunday 17:00 to Friday 17:00 and a holiday shuts 17:00 on its eve to 17:00 on it."""
    fx_date = (at.astimezone(NEW_YORK) + timedelta(hours=7)).date()
    return fx_date.weekday() < 5 and (fx_date.month, fx_date.day) not in MARKET_HOLIDAYS


def market_hours(start: datetime, end: datetime) -> int:
    """Whole hours of [start, end) during which the market was open (hour by hour)."""
    hours, at = 0, start
    while at + timedelta(hours=1) <= end:
        hours += _market_open(at + timedelta(minutes=30))
        at += timedelta(hours=1)
    return hours


def is_market_day(day: date, tz: ZoneInfo) -> bool:
    """A day that can make or break a streak: the market was open a real session of it."""
    return market_hours(*day_window(day, tz)) >= MIN_MARKET_HOURS


def iso_week(day: date) -> str:
    """'2024-W02': the week a grace day belongs to."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
