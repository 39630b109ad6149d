"""What an operator may search log lines by: ids, an age or a time, a level and above."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bitten.domain.logs import LogQuery, parse_since

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2h", NOW - timedelta(hours=2)),
        ("30m", NOW - timedelta(minutes=30)),
        ("7d", NOW - timedelta(days=7)),
        ("90s", NOW - timedelta(seconds=90)),
        ("2026-12-04T09:30:00", datetime(2026, 12, 4, 9, 30, tzinfo=UTC)),
        ("2026-12-04T09:30:00+02:00", datetime(2026, 12, 4, 7, 30, tzinfo=UTC)),
    ],
)
def test_since_is_an_age_or_a_time(text, expected):
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "2 weeks", "-1h", ""])
def test_since_that_is_neither_is_refused_with_what_to_send(text):
    with pytest.raises(ValueError, match="ISO time or an age"):
        parse_since(text, NOW)


def test_level_means_that_level_and_above_in_any_case():
    assert LogQuery(level="warning").min_level_no == 30
    assert LogQuery().min_level_no == 0


@pytest.mark.parametrize(
    "bad", [{"level": "LOUD"}, {"mission_id": "42"}, {"limit": 0}, {"limit": 1001}]
)
def test_a_bad_query_is_refused(bad):
    with pytest.raises(ValidationError):
        LogQuery(**bad)
