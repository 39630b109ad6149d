"""Pip size and spreads as numpy floats (sources of truth: domain.instruments, domain.spreads)."""

from __future__ import annotations

import numpy as np

from bitten.domain.instruments import pip_size
from bitten.domain.spreads import hourly_spread_pips


def pip_of(pair: str) -> float:
    """Pip size of the instrument (JPY 0.01, gold 0.1, FX 0.0001)."""
    return float(pip_size(pair))


def spread_series(
    pair: str, time: np.ndarray, overrides: dict[str, float] | None = None, scale: float = 1.0
) -> np.ndarray:
    """Spread in pips at every bar: the domain model by UTC hour, or a flat override."""
    if overrides and pair in overrides:
        return np.full(time.shape[0], float(overrides[pair]) * scale)
    by_hour = np.array([float(s) for s in hourly_spread_pips(pair)]) * scale
    return by_hour[(np.asarray(time, dtype=np.int64) // 3600) % 24]
