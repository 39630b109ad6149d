"""Vectorized backtester: the live VENOM code over history, bracket fills, random baseline."""

from __future__ import annotations

import numpy as np

from bitten.strategy.candles import Candles
from bitten.strategy.fills import OPEN, Brackets, Trades, resolve


def one_at_a_time(signal_idx: np.ndarray, exit_idx: np.ndarray) -> np.ndarray:
    """Indices of candidates taken when a pair holds at most one trade (next signal after exit)."""
    keep: list[int] = []
    free_from = -1
    for k in range(signal_idx.shape[0]):
        if signal_idx[k] >= free_from:
            keep.append(k)
            free_from = int(exit_idx[k])
    return np.asarray(keep, dtype=np.int64)


def simulate(c: Candles, b: Brackets, pip: float, spread: float, hold: int,
             overlap: bool = False) -> Trades:
    """Fill every bracket (entry at the open after the signal bar); drop trades still open."""
    ok = b.signal_idx + 1 < len(c)
    b = Brackets(*(np.asarray(getattr(b, k))[ok] for k in ("signal_idx", "direction", "stop_pips",
                                                           "target_pips")))
    r = resolve(c, b, pip, spread, hold)
    keep = np.arange(b.signal_idx.shape[0]) if overlap else one_at_a_time(b.signal_idx,
                                                                          r["exit_idx"])
    keep = keep[r["outcome"][keep] != OPEN]
    d = b.direction[keep]
    pips = (r["exit_px"][keep] - r["entry_px"][keep]) * d / pip
    return Trades(c.pair, b.signal_idx[keep], r["entry_idx"][keep], r["exit_idx"][keep], d,
                  r["entry_px"][keep], r["exit_px"][keep], pips, r["outcome"][keep],
                  b.stop_pips[keep], b.target_pips[keep])
