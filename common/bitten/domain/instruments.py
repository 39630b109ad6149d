"""Instruments: pip size, default spread and pip value in the account currency."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

METALS = {"XAU", "XAG"}

# Typical retail spreads in pips (backtester and paper broker share them).
DEFAULT_SPREAD_PIPS: dict[str, Decimal] = {
    "EURUSD": Decimal("0.8"),
    "GBPUSD": Decimal("1.2"),
    "USDJPY": Decimal("1.0"),
    "AUDUSD": Decimal("1.0"),
    "USDCAD": Decimal("1.5"),
    "USDCHF": Decimal("1.5"),
    "NZDUSD": Decimal("1.8"),
    "EURJPY": Decimal("1.5"),
    "XAUUSD": Decimal("3.0"),
}
OTHER_SPREAD_PIPS = Decimal("2.0")


def split_symbol(symbol: str) -> tuple[str, str]:
    """'EURUSD' -> ('EUR', 'USD')."""
    symbol = symbol.upper()
    if len(symbol) != 6 or not symbol.isalpha():
        raise ValueError(f"unknown instrument {symbol!r}: expected six letters like EURUSD")
    return symbol[:3], symbol[3:]


def pip_size(symbol: str) -> Decimal:
    """JPY-quoted pairs 0.01, gold 0.1, silver 0.01, other FX 0.0001."""
    base, quote = split_symbol(symbol)
    if base == "XAU":
        return Decimal("0.1")
    if base == "XAG" or quote == "JPY":
        return Decimal("0.01")
    return Decimal("0.0001")


def default_contract_size(symbol: str) -> Decimal:
    base, _ = split_symbol(symbol)
    return {"XAU": Decimal(100), "XAG": Decimal(5000)}.get(base, Decimal(100_000))


def spread_pips(symbol: str) -> Decimal:
    return DEFAULT_SPREAD_PIPS.get(symbol.upper(), OTHER_SPREAD_PIPS)


class NoQuote(ValueError):
    """The broker has no price for a symbol (market closed, or not quoted on this server)."""


class SymbolSpec(BaseModel):
    """What the broker says about a symbol (volume bounds come from the broker, not us)."""

    symbol: str
    digits: int
    contract_size: Decimal
    volume_min: Decimal
    volume_max: Decimal
    volume_step: Decimal
    bid: Decimal
    ask: Decimal

    @property
    def pip(self) -> Decimal:
        return pip_size(self.symbol)


def quote_to_account_rate(
    symbol: str, price: Decimal, account: str, rates: dict[str, Decimal]
) -> Decimal:
    """Multiplier turning one unit of the symbol's quote currency into the account currency.

    `rates` maps other symbols to mid prices, used for crosses (EURJPY needs USDJPY).
    """
    base, quote = split_symbol(symbol)
    if quote == account:
        return Decimal(1)
    if base == account:
        return 1 / price
    direct, inverse = f"{quote}{account}", f"{account}{quote}"
    if direct in rates:
        return rates[direct]
    if inverse in rates:
        return 1 / rates[inverse]
    raise ValueError(f"no {direct} or {inverse} rate to value {symbol} in {account}")


def pip_value_per_lot(
    spec: SymbolSpec, account: str = "USD", rates: dict[str, Decimal] | None = None
) -> Decimal:
    """Account-currency value of a one-pip move on one lot."""
    mid = (spec.bid + spec.ask) / 2
    if mid <= 0:
        raise NoQuote(f"no {spec.symbol} quote from the broker; the market may be closed")
    rate = quote_to_account_rate(spec.symbol, mid, account, rates or {})
    return spec.contract_size * spec.pip * rate
