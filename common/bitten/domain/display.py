"""How prices, pips, money and time are shown to a trader (exact Decimals, never floats)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from bitten.domain.instruments import pip_size

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$"}
NO_CENTS = {"JPY"}  # currencies quoted without minor units


def price_digits(symbol: str) -> int:
    """Decimals MT5 quotes a symbol with: one more than the pip (EURUSD 5, USDJPY 3, gold 2)."""
    return -int(pip_size(symbol).as_tuple().exponent) + 1


def format_price(symbol: str, price: Decimal) -> str:
    """`price` at the symbol's own digits: USDJPY 112.845, EURUSD 1.10008."""
    return str(price.quantize(Decimal(1).scaleb(-price_digits(symbol)), ROUND_HALF_EVEN))


def format_pips(pips: Decimal, signed: bool = False) -> str:
    """Pips to a tenth: '12.5' or, signed, '+12.5' / '-3.0'."""
    value = pips.quantize(Decimal("0.1"), ROUND_HALF_EVEN)
    return f"{value:+}" if signed else str(value)


def format_money(amount: Decimal, currency: str, signed: bool = False) -> str:
    """'$224.00', '-€12.50', '¥1,200', '15.00 CHF': the currency's own sign and minor units."""
    currency = currency.upper()
    exp = Decimal(1) if currency in NO_CENTS else Decimal("0.01")
    value = amount.quantize(exp, ROUND_HALF_EVEN)
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    digits = f"{abs(value):,}"
    mark = CURRENCY_SIGNS.get(currency)
    return f"{sign}{mark}{digits}" if mark else f"{sign}{digits} {currency}"


def format_percent(value: Decimal) -> str:
    """'2.00%' (two decimals, the way risk is set)."""
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_EVEN)}%"


def countdown(until: datetime, now: datetime) -> str:
    """'4m 05s left', '1h 02m left', or 'expired'."""
    left = int((until - now).total_seconds())
    if left <= 0:
        return "expired"
    hours, rest = divmod(left, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m left"
    return f"{minutes}m {seconds:02d}s left"


def format_duration(span: timedelta) -> str:
    """'3h 12m', '45m', '2d 4h' for how long a trade was held."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def utc_time(when: datetime) -> str:
    """'10:10 UTC' for a time today on the trader's screen."""
    return f"{when.astimezone(UTC):%H:%M} UTC"


def utc_date(when: datetime) -> str:
    """'2024-02-07 10:00 UTC'."""
    return f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
