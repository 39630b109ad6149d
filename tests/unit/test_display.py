"""What a trader reads: prices at the instrument's digits, money with its currency, countdowns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bitten.domain.display import (
    countdown,
    format_duration,
    format_money,
    format_pips,
    format_price,
    price_digits,
)


@pytest.mark.parametrize(
    "symbol,price,shown",
    [
        ("USDJPY", "112.845000", "112.845"),
        ("EURUSD", "1.100080", "1.10008"),
        ("XAUUSD", "2000.500000", "2000.50"),
        ("GBPJPY", "140.1", "140.100"),
    ],
)
def test_prices_show_at_the_instruments_own_digits(symbol, price, shown):
    assert format_price(symbol, Decimal(price)) == shown


def test_digits_are_one_more_than_the_pip():
    assert [price_digits(s) for s in ("EURUSD", "USDJPY", "XAUUSD")] == [5, 3, 2]


@pytest.mark.parametrize(
    "amount,currency,signed,shown",
    [
        ("224", "USD", False, "$224.00"),
        ("10000", "USD", False, "$10,000.00"),
        ("-12.5", "EUR", True, "-€12.50"),
        ("35.004", "GBP", True, "+£35.00"),
        ("1200.4", "JPY", False, "¥1,200"),
        ("15", "CHF", False, "15.00 CHF"),
        ("0", "USD", True, "$0.00"),
    ],
)
def test_money_carries_its_currency_and_minor_units(amount, currency, signed, shown):
    assert format_money(Decimal(amount), currency, signed) == shown


def test_pips_are_shown_to_a_tenth_with_a_sign_when_asked():
    assert (format_pips(Decimal("12.54")), format_pips(Decimal("-3"), signed=True)) == (
        "12.5",
        "-3.0",
    )
    assert format_pips(Decimal("20"), signed=True) == "+20.0"


def test_countdown_says_minutes_and_seconds_then_expired():
    now = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)
    assert countdown(now + timedelta(minutes=4, seconds=5), now) == "4m 05s left"
    assert countdown(now + timedelta(hours=1, minutes=2), now) == "1h 02m left"
    assert countdown(now, now) == "expired"


def test_hold_time_reads_in_days_hours_or_minutes():
    assert format_duration(timedelta(minutes=45)) == "45m"
    assert format_duration(timedelta(hours=3, minutes=12)) == "3h 12m"
    assert format_duration(timedelta(days=2, hours=4)) == "2d 4h"
