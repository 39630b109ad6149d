"""Finite-window indicators on integer price points, so live and backtest values match exactly.

Every value at bar i depends only on bars [i - w + 1, i]: the same number whether it is
computed over ten years of history (backtest) or over the last LOOKBACK_BARS (live scan).
Prices are first turned into integer tenths of a pip, so rolling sums are exact.
"""

from __future__ import annotations

import numpy as np

POINTS_PER_PIP = 10


def to_points(price: np.ndarray, pip: float) -> np.ndarray:
    """Prices -> int64 tenths of a pip."""
    return np.rint(np.asarray(price, dtype=np.float64) / pip * POINTS_PER_PIP).astype(np.int64)


def rolling_sum(x: np.ndarray, w: int) -> np.ndarray:
    """Sum of the last `w` values (exact for ints); NaN until `w` values exist."""
    out = np.full(x.shape[0], np.nan)
    if x.shape[0] >= w:
        csum = np.concatenate([[0], np.cumsum(x)])
        out[w - 1 :] = csum[w:] - csum[:-w]
    return out


def sma(x: np.ndarray, w: int) -> np.ndarray:
    """Simple moving average over `w` bars."""
    return rolling_sum(x, w) / w


def rolling_std(x: np.ndarray, w: int) -> np.ndarray:
    """Population standard deviation over `w` bars (exact sums on integer input)."""
    mean = sma(x, w)
    sq = rolling_sum(x.astype(np.int64) ** 2, w) / w
    return np.sqrt(np.maximum(sq - mean**2, 0.0))


def _windows(x: np.ndarray, w: int) -> np.ndarray:
    return np.lib.stride_tricks.sliding_window_view(x, w)


def rolling_max(x: np.ndarray, w: int) -> np.ndarray:
    """Highest value of the last `w` bars; NaN before."""
    out = np.full(x.shape[0], np.nan)
    if x.shape[0] >= w:
        out[w - 1 :] = _windows(x, w).max(axis=1)
    return out


def rolling_min(x: np.ndarray, w: int) -> np.ndarray:
    """Lowest value of the last `w` bars; NaN before."""
    out = np.full(x.shape[0], np.nan)
    if x.shape[0] >= w:
        out[w - 1 :] = _windows(x, w).min(axis=1)
    return out


def true_range(high: np.ndarray, low: np.ndarray, close: np.ndarray) -> np.ndarray:
    """Bar range including the gap from the previous close (first bar: high - low)."""
    prev = np.concatenate([[close[0]], close[:-1]])
    return np.maximum(high, prev) - np.minimum(low, prev)


def atr(high: np.ndarray, low: np.ndarray, close: np.ndarray, w: int) -> np.ndarray:
    """Average true range as a simple mean over `w` bars (finite window, unlike Wilder's)."""
    return sma(true_range(high, low, close), w)


def shift(x: np.ndarray, k: int) -> np.ndarray:
    """Value `k` bars ago (NaN where unknown)."""
    out = np.full(x.shape[0], np.nan)
    if k < x.shape[0]:
        out[k:] = x[: x.shape[0] - k]
    return out


def minute_of_day(time: np.ndarray) -> np.ndarray:
    """UTC minute of day 0-1439 of each bar open."""
    return (time // 60) % 1440


def weekday(time: np.ndarray) -> np.ndarray:
    """UTC weekday, Monday = 0 (1970-01-01 was a Thursday)."""
    return ((time // 86400) + 3) % 7
