"""Pick the replay window: the Asian-session night with the most VENOM setups (deterministic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from bitten.strategy import venom
from bitten.strategy.candles import Candles
from bitten.strategy.pricing import spread_series
from bitten.strategy.universe import TRADED


def busiest_night(candles: dict[str, Candles], hours: float) -> datetime:
    """Start (22:30 UTC) of the night whose `hours` hold the most signals of VENOM's pairs."""
    counts: dict[int, int] = {}
    for pair, c in candles.items():
        if pair not in TRADED:
            continue
        f = venom.frame(c, spread_series(pair, c.time))
        # A night starts at 22:30 the day before: count the signals inside its replay window.
        shifted = c.time[f.direction != 0] + 90 * 60
        days = shifted[shifted % 86400 < hours * 3600] // 86400
        for day, n in zip(*np.unique(days, return_counts=True), strict=True):
            counts[int(day)] = counts.get(int(day), 0) + int(n)
    if not counts:
        last = max(int(c.time[-1]) for c in candles.values())
        return datetime.fromtimestamp(last - int(hours * 3600), UTC)
    best = max(counts, key=lambda d: (counts[d], d))
    return datetime.fromtimestamp(best * 86400, UTC) - timedelta(minutes=90)
