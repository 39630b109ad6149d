"""Trading days end at 18:00 in the trader's zone; DST, weekends and holidays handled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bitten.domain.game.trading_day import (
    UnknownTimeZone,
    day_window,
    due_day,
    is_market_day,
    iso_week,
    trading_day,
    zone,
)

NY, TOKYO, HONOLULU = zone("America/New_York"), zone("Asia/Tokyo"), zone("Pacific/Honolulu")


@pytest.mark.parametrize(
    ("utc", "tz", "day"),
    [
        (datetime(2024, 1, 8, 22, 59, tzinfo=UTC), NY, date(2024, 1, 8)),  # 17:59 EST
        (datetime(2024, 1, 8, 23, 0, tzinfo=UTC), NY, date(2024, 1, 9)),  # 18:00 EST
        (datetime(2024, 1, 8, 8, 59, tzinfo=UTC), TOKYO, date(2024, 1, 8)),  # 17:59 JST
        (datetime(2024, 1, 8, 9, 0, tzinfo=UTC), TOKYO, date(2024, 1, 9)),
        (datetime(2024, 1, 9, 3, 59, tzinfo=UTC), HONOLULU, date(2024, 1, 8)),  # 17:59 HST
    ],
)
def test_the_trading_day_turns_at_18h_local(utc, tz, day):
    assert trading_day(utc, tz) == day


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2024, 3, 10), 23), (date(2024, 11, 3), 25), (date(2024, 3, 12), 24)],
)
def test_a_new_york_day_is_23_or_25_hours_across_dst(day, hours):
    start, end = day_window(day, NY)
    assert (end - start) == timedelta(hours=hours)
    assert end.astimezone(NY).hour == 18


def test_the_drill_is_due_from_18h_to_local_midnight_only():
    assert due_day(datetime(2024, 1, 8, 22, 59, tzinfo=UTC), NY) is None
    assert due_day(datetime(2024, 1, 8, 23, 0, tzinfo=UTC), NY) == date(2024, 1, 8)
    assert due_day(datetime(2024, 1, 9, 4, 59, tzinfo=UTC), NY) == date(2024, 1, 8)
    assert due_day(datetime(2024, 1, 9, 5, 0, tzinfo=UTC), NY) is None  # local midnight


@pytest.mark.parametrize(
    ("day", "tz", "market"),
    [
        (date(2024, 1, 12), NY, True),  # Friday
        (date(2024, 1, 13), NY, False),  # Saturday: shut all window
        (date(2024, 1, 14), NY, False),  # Sunday: opens 17:00, one hour before the drill
        (date(2024, 1, 13), TOKYO, True),  # Tokyo's Saturday holds Friday's London and NY
        (date(2024, 1, 14), TOKYO, False),
        (date(2024, 1, 14), HONOLULU, True),  # Honolulu's Sunday holds the Asian open
        (date(2024, 12, 25), NY, False),  # Christmas
    ],
)
def test_market_days_follow_the_fx_week_in_each_zone(day, tz, market):
    assert is_market_day(day, tz) is market


def test_a_zone_must_be_an_iana_name():
    assert str(zone("Europe/London")) == "Europe/London"
    with pytest.raises(UnknownTimeZone, match="use a name like Europe/London"):
        zone("../../etc/passwd")
    with pytest.raises(UnknownTimeZone):
        zone("")


def test_grace_weeks_are_iso_weeks():
    assert iso_week(date(2024, 1, 8)) == iso_week(date(2024, 1, 14)) == "2024-W02"
    assert iso_week(date(2024, 12, 30)) == "2025-W01"
