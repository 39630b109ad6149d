"""Paper broker prices: bid from replayed M1 candles, ask = bid + the instrument's spread.

Everything is kept in integer points (10**-digits) so stop checks are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

from bitten.domain.broker import Bar
from bitten.domain.instruments import SymbolSpec, default_contract_size, pip_size, split_symbol
from bitten.domain.spreads import spread_pips
from bitten.strategy.candles import Candles

VOLUME_MIN = Decimal("0.01")
VOLUME_STEP = Decimal("0.01")
VOLUME_MAX = Decimal("100")
STALE_AFTER_S = 300  # no bar closed in the last 5 minutes = market closed


def digits_of(symbol: str) -> int:
    """Price decimals: one more than the pip (5 for EURUSD, 3 for USDJPY, 2 for gold)."""
    exponent = pip_size(symbol).as_tuple().exponent
    return -int(exponent) + 1


def to_price(points: int, digits: int) -> Decimal:
    """Integer points -> Decimal price with exactly `digits` decimals."""
    return Decimal(int(points)).scaleb(-digits)


def to_points(price: Decimal, digits: int) -> int:
    """Decimal price -> integer points (rounded half even)."""
    return int(price.scaleb(digits).to_integral_value())


def utc(epoch_s: int) -> datetime:
    return datetime.fromtimestamp(int(epoch_s), tz=UTC)


@dataclass(frozen=True)
class Quote:
    symbol: str
    digits: int
    bid: int
    ask: int
    bar_open: int  # open time of the bar whose close is the bid

    def price(self, side: str) -> Decimal:
        """Fill price of a market order: ask for a buy, bid for a sell."""
        return to_price(self.ask if side == "buy" else self.bid, self.digits)


class PaperQuotes:
    """Bid/ask of every replayed symbol as of a given instant."""

    def __init__(self, candles: dict[str, Candles], stale_after_s: int = STALE_AFTER_S) -> None:
        self._candles = {s.upper(): c for s, c in candles.items()}
        self._bars: dict[str, Candles] = {}  # the same bars in integer points
        self.stale_after_s = stale_after_s

    def symbols(self) -> list[str]:
        return sorted(self._candles)

    def spread_points(self, symbol: str, at_s: int) -> int:
        """The spread model's spread at `at_s` (it widens at the roll and, for some, in Asia)."""
        spread = spread_pips(symbol, at_s) * pip_size(symbol)
        return to_points(spread, digits_of(symbol))

    def bar_spread_points(self, symbol: str, bars: Candles) -> np.ndarray:
        """The spread of every bar, at its open, in integer points."""
        by_hour = [self.spread_points(symbol, 3600 * h) for h in range(24)]
        return np.asarray(by_hour, dtype=np.int64)[(bars.time // 3600) % 24]

    def bars(self, symbol: str) -> Candles | None:
        """All bid bars of a symbol in integer points (converted once, then cached)."""
        symbol = symbol.upper()
        if symbol not in self._bars and symbol in self._candles:
            c, scale = self._candles[symbol], 10.0 ** digits_of(symbol)
            cols = [np.rint(a * scale).astype(np.int64) for a in (c.open, c.high, c.low, c.close)]
            self._bars[symbol] = Candles(symbol, c.time.astype(np.int64), *cols)
        return self._bars.get(symbol)

    def last_quote(self, symbol: str, now_s: int) -> Quote | None:
        """Quote from the last bar closed by `now_s`, however old (None before the first)."""
        bars = self.bars(symbol)
        closed = bars.upto(now_s) if bars is not None else None
        if not closed:
            return None
        bid = int(closed.close[-1])
        symbol = symbol.upper()
        digits = digits_of(symbol)
        ask = bid + self.spread_points(symbol, now_s)
        return Quote(symbol, digits, bid, ask, int(closed.time[-1]))

    def live_quote(self, symbol: str, now_s: int) -> Quote | None:
        """Quote a market order may fill at: None when no bar closed in the last few minutes."""
        quote = self.last_quote(symbol, now_s)
        if quote is None or now_s - (quote.bar_open + 60) > self.stale_after_s:
            return None
        return quote

    def bars_after(self, symbol: str, after_open: int, now_s: int) -> Candles:
        """Bars opened after `after_open` that have closed by `now_s`."""
        bars = self.bars(symbol)
        if bars is None:
            return Candles(symbol, *(np.empty(0, np.int64) for _ in range(5)))
        closed = bars.upto(now_s)
        start = int(np.searchsorted(closed.time, after_open, side="right"))
        return closed.slice(start, len(closed))

    def closed_bars(
        self, symbol: str, now_s: int, count: int, after_open: int | None = None
    ) -> Candles:
        """The last `count` bars closed by `now_s` (and opened after `after_open`), oldest first."""
        if self.bars(symbol) is None:
            raise ValueError(f"{symbol.upper()} is not quoted here")
        closed = self.bars_after(symbol, -1 if after_open is None else after_open, now_s)
        return closed.slice(max(0, len(closed) - count), len(closed))

    def mids(self, now_s: int) -> dict[str, Decimal]:
        """Latest mid price of every symbol that has one (for cross-rate conversion)."""
        out: dict[str, Decimal] = {}
        for symbol in self.symbols():
            q = self.last_quote(symbol, now_s)
            if q is not None:
                out[symbol] = to_price(q.bid + q.ask, q.digits) / 2
        return out

    def spec(self, symbol: str, now_s: int) -> SymbolSpec:
        """Symbol spec; bid/ask are 0 when the symbol has no quote yet (as MT5 reports it)."""
        split_symbol(symbol)  # ValueError with a clear message for a malformed name
        symbol = symbol.upper()
        digits = digits_of(symbol)
        quote = self.last_quote(symbol, now_s)
        bid, ask = (quote.bid, quote.ask) if quote else (0, 0)
        return SymbolSpec(
            symbol=symbol,
            digits=digits,
            contract_size=default_contract_size(symbol),
            volume_min=VOLUME_MIN,
            volume_max=VOLUME_MAX,
            volume_step=VOLUME_STEP,
            bid=to_price(bid, digits),
            ask=to_price(ask, digits),
        )


def bars_of(candles: Candles) -> list[Bar]:
    """Bars in integer points -> exact prices at the symbol's digits (the HUD chart's shape)."""
    digits = digits_of(candles.pair)
    columns = [
        [to_price(x, digits) for x in getattr(candles, k).tolist()]
        for k in ("open", "high", "low", "close")
    ]
    return [
        Bar(time=int(t), open=o, high=h, low=lo, close=c)
        for t, o, h, lo, c in zip(candles.time.tolist(), *columns, strict=True)
    ]
