"""Risk of a trade table at a fixed risk a trade: worst day and week, losing streak, adverse
excursion, and a Monte Carlo of a year of trades (drawdown probabilities)."""

from __future__ import annotations

import numpy as np

from bitten.strategy.trades import TradeTable

RISK_PER_TRADE = 0.02  # the platform's default RISK_PERCENT
TRADING_DAYS_A_YEAR = 252
PATHS = 10_000
SEED = 20240601


def returns(t: TradeTable, risk: float = RISK_PER_TRADE) -> np.ndarray:
    """Each trade's result as a fraction of the balance: a full stop loses `risk`."""
    return risk * t.pips / np.where(t.stop_pips > 0, t.stop_pips, np.nan)


def worst_period(t: TradeTable, r: np.ndarray, days: int) -> float:
    """The worst sum of returns over calendar periods of `days` days (1 = day, 7 = week)."""
    if not len(t):
        return 0.0
    day = t.exit_time // 86400
    period = (day + 3) // 7 if days == 7 else day  # weeks start on Monday (epoch: Thursday)
    sums = np.bincount(period - period.min(), weights=r)
    return round(float(sums.min()), 4)


def longest_losing_streak(pips: np.ndarray) -> int:
    """Most losing trades in a row (in exit order)."""
    best = run = 0
    for p in pips:
        run = run + 1 if p < 0 else 0
        best = max(best, run)
    return best


def max_drawdowns(paths: np.ndarray) -> np.ndarray:
    """Largest fall from a peak of each compounded path, as a fraction of that peak."""
    equity = np.cumprod(1 + paths, axis=1)
    equity = np.concatenate([np.ones((paths.shape[0], 1)), equity], axis=1)
    peak = np.maximum.accumulate(equity, axis=1)
    return (1 - equity / peak).max(axis=1)


def monte_carlo(r: np.ndarray, trades_a_year: int, paths: int = PATHS, seed: int = SEED) -> dict:
    """A year of trades drawn with replacement from `r`: drawdown odds and the year's return."""
    if r.size == 0 or trades_a_year == 0:
        return {"paths": 0}
    rng = np.random.default_rng(seed)
    draws = r[rng.integers(0, r.size, size=(paths, trades_a_year))]
    dd = max_drawdowns(draws)
    final = np.prod(1 + draws, axis=1) - 1
    return {
        "paths": paths,
        "trades_a_year": trades_a_year,
        "p_drawdown_20": round(float((dd >= 0.20).mean()), 4),
        "p_drawdown_50": round(float((dd >= 0.50).mean()), 4),
        "median_max_drawdown": round(float(np.median(dd)), 4),
        "median_year_return": round(float(np.median(final)), 4),
        "p5_year_return": round(float(np.percentile(final, 5)), 4),
    }


def _q(a: np.ndarray, k: int) -> float:
    """Percentile `k` of `a` (0 when empty)."""
    a = a[np.isfinite(a)]
    return round(float(np.percentile(a, k)), 4) if a.size else 0.0


def summary(t: TradeTable, trades_per_day: float, risk: float = RISK_PER_TRADE) -> dict:
    """The risk section of the report."""
    r = returns(t, risk)
    mae_r = t.mae_pips / np.where(t.stop_pips > 0, t.stop_pips, np.nan)
    wins, losses = r[r > 0], r[r < 0]
    return {
        "risk_per_trade": risk,
        "worst_day": worst_period(t, r, 1),
        "worst_week": worst_period(t, r, 7),
        "longest_losing_streak": longest_losing_streak(t.pips),
        "mean_win": round(float(wins.mean()), 4) if wins.size else 0.0,
        "mean_loss": round(float(losses.mean()), 4) if losses.size else 0.0,
        "mae_pips_median": _q(t.mae_pips, 50),
        "mae_pips_p95": _q(t.mae_pips, 95),
        "mae_of_stop_median": _q(mae_r, 50),
        "mae_of_stop_p95": _q(mae_r, 95),
        "monte_carlo": monte_carlo(r, int(round(trades_per_day * TRADING_DAYS_A_YEAR))),
    }
