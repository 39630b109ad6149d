"""Instruments: pip size, contract size, conversion paths and pip value in the account currency."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

METALS = {"XAU", "XAG"}


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
    tick_size: Decimal | None = None  # smallest price change; 10**-digits when not given
    tick_value: Decimal | None = None  # account-currency value of one tick on one lot
    filling_modes: list[str] = ["FOK", "IOC"]  # MT5 ORDER_FILLING_* the symbol accepts
    trade_mode: str = "full"  # full | longonly | shortonly | closeonly | disabled
    stops_level: int = 0  # closest a stop may be to the price, in points
    last_tick_time: datetime | None = None  # when the bid/ask above were quoted

    @property
    def pip(self) -> Decimal:
        return pip_size(self.symbol)

    def trade_refusal(self, side: str) -> str | None:
        """Why the symbol's trade mode refuses opening a `side` position, or None."""
        allowed = {"full": ("buy", "sell"), "longonly": ("buy",), "shortonly": ("sell",)}
        if side in allowed.get(self.trade_mode, ()):
            return None
        return f"trading {self.symbol} is {self.trade_mode} at the broker"


class NoConversionRate(NoQuote):
    """No chain of quoted symbols converts a currency into the account currency."""


def _edges(symbols: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Currency -> [(symbol, other currency)]; names that are not six letters are skipped."""
    graph: dict[str, list[tuple[str, str]]] = {}
    for symbol in sorted({s.upper() for s in symbols}):
        base, quote = symbol[:3], symbol[3:]
        if len(symbol) == 6 and symbol.isalpha() and base != quote:
            graph.setdefault(base, []).append((symbol, quote))
            graph.setdefault(quote, []).append((symbol, base))
    return graph


def conversion_path(
    source: str, target: str, symbols: Iterable[str], prefer: Collection[str] = ()
) -> list[str]:
    """Shortest chain of symbols turning `source` into `target` (currencies are nodes).

    Ties go to the chain with fewest symbols outside `prefer` (prices already known), then
    to the alphabetically first sequence of symbols. Metals are never a middle hop.
    Raises NoConversionRate when no chain exists.
    """
    graph = _edges(symbols)
    best: dict[str, tuple[int, list[str]]] = {source: (0, [])}  # -> (unpreferred, path)
    layer = [source]
    while layer and target not in best:
        found: dict[str, tuple[int, list[str]]] = {}
        for currency in layer:
            if currency in METALS and currency != source:
                continue
            cost, path = best[currency]
            for symbol, other in graph.get(currency, []):
                key = (cost + (symbol not in prefer), [*path, symbol])
                if other not in best and (other not in found or key < found[other]):
                    found[other] = key
        best |= found
        layer = sorted(found)
    if target not in best:
        raise NoConversionRate(f"no chain of quoted symbols converts {source} to {target}")
    return best[target][1]


def path_rate(source: str, path: list[str], mids: Mapping[str, Decimal]) -> Decimal:
    """Units of the path's last currency one unit of `source` buys (a mid, inverted as needed)."""
    rate, currency = Decimal(1), source
    for symbol in path:
        base, quote = split_symbol(symbol)
        if currency == base:
            rate, currency = rate * mids[symbol], quote
        else:
            rate, currency = rate / mids[symbol], base
    return rate


def quote_to_account_rate(
    symbol: str, price: Decimal, account: str, rates: Mapping[str, Decimal]
) -> Decimal:
    """Multiplier turning one unit of the symbol's quote currency into the account currency.

    `rates` maps other symbols to mid prices; `price` prices the symbol itself. A cross is
    valued through the shortest chain of them (GBPNZD in USD: GBPNZD then GBPUSD).
    """
    symbol = symbol.upper()
    _, quote = split_symbol(symbol)
    mids = {**{s.upper(): mid for s, mid in rates.items()}, symbol: price}
    try:
        path = conversion_path(quote, account, mids, prefer={symbol})
    except NoConversionRate as exc:
        raise NoConversionRate(
            f"no {quote}{account} or {account}{quote} rate, nor a chain of quoted symbols, "
            f"to value {symbol} in {account}"
        ) from exc
    return path_rate(quote, path, mids)


def pip_value_per_lot(
    spec: SymbolSpec, account: str = "USD", rates: dict[str, Decimal] | None = None
) -> Decimal:
    """Account-currency value of a one-pip move on one lot."""
    mid = (spec.bid + spec.ask) / 2
    if mid <= 0:
        raise NoQuote(f"no {spec.symbol} quote from the broker; the market may be closed")
    rate = quote_to_account_rate(spec.symbol, mid, account, rates or {})
    return spec.contract_size * spec.pip * rate
