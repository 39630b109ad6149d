"""M1 candle arrays: the one shape every strategy and replay function takes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Candles:
    """Bid OHLC bars; `time` is the bar OPEN in epoch seconds (int64), strictly increasing."""

    pair: str
    time: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray

    def __len__(self) -> int:
        return int(self.time.shape[0])

    def slice(self, start: int, stop: int) -> Candles:
        """Bars [start, stop) as views (no copy)."""
        return Candles(
            self.pair,
            self.time[start:stop],
            self.open[start:stop],
            self.high[start:stop],
            self.low[start:stop],
            self.close[start:stop],
        )

    def upto(self, epoch_s: int) -> Candles:
        """Bars whose minute has CLOSED by `epoch_s` (open + 60 <= epoch_s)."""
        stop = int(np.searchsorted(self.time, epoch_s - 60, side="right"))
        return self.slice(0, stop)

    def window(self, start_s: int, end_s: int) -> Candles:
        """Bars with open time in [start_s, end_s)."""
        lo = int(np.searchsorted(self.time, start_s, side="left"))
        hi = int(np.searchsorted(self.time, end_s, side="left"))
        return self.slice(lo, hi)

    @staticmethod
    def concat(parts: list[Candles]) -> Candles:
        """Join chronologically ordered pieces of one pair."""
        cols = {
            k: np.concatenate([getattr(p, k) for p in parts])
            for k in ("time", "open", "high", "low", "close")
        }
        return Candles(parts[0].pair, **cols)
