"""Does CITADEL's score earn its multiplier? Score -> realised pips, with bootstrap intervals."""

from __future__ import annotations

import numpy as np

from bitten.domain.shield import LABELS
from bitten.strategy.report import bucket_of
from bitten.strategy.trades import TradeTable

RESAMPLES = 2000
SEED = 20240601
MIN_TRADES = 10  # a bucket with fewer trades says nothing about its order


def interval(pips: np.ndarray, seed: int = SEED) -> tuple[float, float]:
    """90% bootstrap interval of the mean pips a trade."""
    if pips.size == 0:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    means = pips[rng.integers(0, pips.size, size=(RESAMPLES, pips.size))].mean(axis=1)
    return (round(float(np.percentile(means, 5)), 2), round(float(np.percentile(means, 95)), 2))


def slope(t: TradeTable) -> float:
    """Least-squares pips per shield point (positive: a higher score earns more)."""
    if len(t) < 2 or np.ptp(t.shield) == 0:
        return 0.0
    return round(float(np.polyfit(t.shield, t.pips, 1)[0]), 3)


def buckets(t: TradeTable) -> dict[str, dict]:
    """Per shield label, weakest first: trades, mean pips and its 90% interval."""
    labels = bucket_of(t.shield)
    out = {}
    for _, name in reversed(LABELS):
        pips = t.pips[labels == name]
        low, high = interval(pips)
        mean = round(float(pips.mean()), 2) if pips.size else 0.0
        out[name] = {"trades": int(pips.size), "expectancy_pips": mean, "ci90": [low, high]}
    return out


def ordered(table: dict[str, dict]) -> bool:
    """Higher buckets do better: mean pips rise with the label over buckets of 10+ trades."""
    means = [b["expectancy_pips"] for b in table.values() if b["trades"] >= MIN_TRADES]
    return len(means) >= 2 and all(a < b for a, b in zip(means, means[1:], strict=False))


def calibrate(t: TradeTable) -> dict:
    """The bucket table, the pips-per-point slope, and whether the buckets are ordered."""
    table = buckets(t)
    return {"buckets": table, "pips_per_point": slope(t), "ordered": ordered(table)}
