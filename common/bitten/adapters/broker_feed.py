"""BrokerMarketFeed: the scanner's MarketFeed over the broker terminal's M1 rates,
reading only the bars that closed since the last scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bitten.adapters.forexvps import PRICE_COLUMNS, ForexVpsBroker

if TYPE_CHECKING:
    from bitten.strategy.candles import Candles


@dataclass
class _HeldBars:
    """What the feed already has of one pair: bars closed by `now_s`, at most `want`."""

    bars: Candles
    want: int
    now_s: int


class BrokerMarketFeed:
    """MarketFeed over the broker terminal: the prices the trades will fill against.

    The first read of a pair takes the whole lookback; later reads ask only for the bars
    opened since the last-but-one held bar. The one-bar overlap must match what is held,
    else (terminal restarted, history revised, a gap longer than the lookback) it reads all.
    """

    def __init__(self, api: ForexVpsBroker, pairs: list[str] | None = None) -> None:
        self.api, self._pairs = api, pairs
        self._symbols: list[str] | None = None
        self._held: dict[str, _HeldBars] = {}

    def pairs(self) -> list[str]:
        """The configured pairs the terminal quotes, else every symbol it quotes."""
        quoted = self.symbols()
        return [p for p in self._pairs if p in quoted] if self._pairs else quoted

    def symbols(self) -> list[str]:
        """Every symbol the terminal quotes (asked once per container)."""
        if self._symbols is None:
            self._symbols = self.api.symbols()
        return self._symbols

    def recent(self, pair: str, now: datetime, bars: int) -> Candles:
        """The last `bars` bars closed by `now` on our clock too (a terminal clock ahead of
        ours adds nothing)."""
        now_s = int(now.timestamp())
        held = self._held.get(pair)
        candles = self._continued(pair, held, now_s, bars) if held and held.want >= bars else None
        if candles is None:
            candles = self.api.rates(pair, bars).upto(now_s)
        candles = candles.slice(max(0, len(candles) - bars), len(candles))
        self._held[pair] = _HeldBars(candles, bars, now_s)
        return candles

    def _continued(self, pair: str, held: _HeldBars, now_s: int, bars: int) -> Candles | None:
        """The held bars plus those closed since, or None when a full read is needed."""
        old = held.bars
        if now_s < held.now_s or len(old) < 2:
            return None
        newer = self.api.rates(pair, bars, after_open=int(old.time[-2]))
        if not _same_bar(newer, 0, old, len(old) - 1):
            return None
        from bitten.strategy.candles import Candles

        return Candles.concat([old.slice(0, len(old) - 1), newer]).upto(now_s)


def _same_bar(a: Candles, i: int, b: Candles, j: int) -> bool:
    """Bar i of `a` is bar j of `b`, to the bit."""
    if not 0 <= i < len(a):
        return False
    return all(getattr(a, k)[i] == getattr(b, k)[j] for k in ("time", *PRICE_COLUMNS))
