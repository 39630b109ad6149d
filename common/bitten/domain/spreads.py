"""Typical retail spreads by instrument and UTC hour: the one spread model of the platform.

Base figures are the published average spreads of two commission-free ("spread-only") retail
accounts, averaged per pair: IG's MT4 account (Mon 00:00 - Fri 22:00 GMT, 12 weeks to 31 May
2019) and FXCM's Standard account (time-weighted averages of tradable prices). Where only FXCM
lists a pair (NZDCAD, NZDUSD, gold) its figure is used. Sources and the hourly shape are in
docs/venom.md. Spreads widen around the New York 17:00 roll (21:00-23:00 UTC, summer and winter)
and, for pairs without an Asia-Pacific leg, in the Asian session.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bitten.domain.instruments import split_symbol

TYPICAL_SPREAD_PIPS: dict[str, Decimal] = {
    "EURUSD": Decimal("1.0"),  # IG 0.75, FXCM 1.3
    "GBPUSD": Decimal("1.6"),  # IG 1.34, FXCM 1.8
    "USDJPY": Decimal("1.1"),  # IG 0.86, FXCM 1.4
    "AUDUSD": Decimal("1.3"),  # IG 0.75, FXCM 1.8
    "USDCAD": Decimal("2.4"),  # IG 2.50, FXCM 2.2
    "USDCHF": Decimal("1.9"),  # IG 2.04, FXCM 1.7
    "NZDUSD": Decimal("2.0"),  # FXCM 2.0
    "EURGBP": Decimal("1.7"),  # IG 1.17, FXCM 2.3
    "EURJPY": Decimal("2.0"),  # IG 1.96, FXCM 2.1
    "EURCHF": Decimal("2.4"),  # IG 2.30, FXCM 2.5
    "EURAUD": Decimal("2.6"),  # IG 2.61, FXCM 2.6
    "EURCAD": Decimal("3.6"),  # IG 4.25, FXCM 3.0
    "EURNZD": Decimal("4.1"),  # IG 4.02, FXCM 4.1
    "GBPJPY": Decimal("2.9"),  # IG 3.04, FXCM 2.8
    "GBPCHF": Decimal("3.7"),  # IG 3.98, FXCM 3.5
    "GBPAUD": Decimal("4.0"),  # IG 3.64, FXCM 4.4
    "GBPCAD": Decimal("4.5"),  # IG 4.74, FXCM 4.3
    "GBPNZD": Decimal("6.3"),  # IG 6.87, FXCM 5.8
    "AUDJPY": Decimal("2.1"),  # IG 1.91, FXCM 2.2
    "AUDCHF": Decimal("3.2"),  # IG 2.95, FXCM 3.4
    "AUDCAD": Decimal("2.8"),  # IG 2.78, FXCM 2.8
    "AUDNZD": Decimal("3.4"),  # IG 3.18, FXCM 3.6
    "CADJPY": Decimal("3.1"),  # IG 3.61, FXCM 2.5
    "CADCHF": Decimal("3.3"),  # IG 3.16, FXCM 3.4
    "CHFJPY": Decimal("2.9"),  # IG 2.76, FXCM 3.0
    "NZDJPY": Decimal("2.8"),  # IG 3.21, FXCM 2.3
    "NZDCAD": Decimal("4.6"),  # FXCM 4.6
    "NZDCHF": Decimal("5.1"),  # IG 5.60, FXCM 4.5
    "XAUUSD": Decimal("4.1"),  # FXCM 0.41 USD = 4.1 gold pips of 0.1
}
UNLISTED_SPREAD_PIPS = Decimal("5.0")  # an instrument nobody priced: assume it is costly

ROLLOVER_HOURS = frozenset({21, 22})  # UTC hours around the New York 17:00 close
ROLLOVER_FACTOR = Decimal(3)  # 2-4x published for 21:00-22:00 UTC; IG's averages imply ~3x
ASIAN_HOURS = frozenset({23, 0, 1, 2, 3, 4, 5, 6})  # Tokyo / Sydney, before London
ASIAN_FACTOR = Decimal("1.25")  # EUR, GBP, CHF, CAD and gold are thinner before London
ASIA_PACIFIC = frozenset({"JPY", "AUD", "NZD"})
DEEP_ALL_DAY = frozenset({"EURUSD"})  # FXCM: deep 24 hours, the tightest pair in Asian hours


def typical_spread_pips(symbol: str) -> Decimal:
    """The published average spread of the instrument (liquid hours)."""
    return TYPICAL_SPREAD_PIPS.get(symbol.upper(), UNLISTED_SPREAD_PIPS)


def hour_factor(symbol: str, hour: int) -> Decimal:
    """How much wider than typical the spread is in this UTC hour."""
    if hour in ROLLOVER_HOURS:
        return ROLLOVER_FACTOR
    base, quote = split_symbol(symbol)
    home_in_asia = bool({base, quote} & ASIA_PACIFIC) or symbol.upper() in DEEP_ALL_DAY
    return ASIAN_FACTOR if hour in ASIAN_HOURS and not home_in_asia else Decimal(1)


def hourly_spread_pips(symbol: str) -> tuple[Decimal, ...]:
    """The spread in pips for each UTC hour 0-23."""
    typical = typical_spread_pips(symbol)
    return tuple(typical * hour_factor(symbol, h) for h in range(24))


def spread_pips(symbol: str, at: datetime | int) -> Decimal:
    """The spread in pips at `at` (an aware datetime or epoch seconds; the UTC hour decides)."""
    epoch = int(at.timestamp()) if isinstance(at, datetime) else int(at)
    return hourly_spread_pips(symbol)[(epoch // 3600) % 24]
