"""Pip size and spread as plain floats for the numpy code (source of truth: domain.instruments)."""

from __future__ import annotations

from bitten.domain.instruments import pip_size, spread_pips


def pip_of(pair: str) -> float:
    """Pip size of the instrument (JPY 0.01, gold 0.1, FX 0.0001)."""
    return float(pip_size(pair))


def spread_of(pair: str, overrides: dict[str, float] | None = None) -> float:
    """Spread in pips: the override if given, else DEFAULT_SPREAD_PIPS, else the 'other' default."""
    if overrides and pair in overrides:
        return float(overrides[pair])
    return float(spread_pips(pair))
