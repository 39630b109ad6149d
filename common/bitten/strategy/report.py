"""Backtest figures: the issue's metric set, pooled / per pair / per shield bucket, and JSON."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bitten.domain.shield import LABELS, label_for
from bitten.strategy.backtest import PairResult

Metrics = dict[str, float | int | None]


def max_drawdown(pips: np.ndarray) -> float:
    """Largest peak-to-trough fall of the cumulative pips (starting from 0)."""
    equity = np.concatenate([[0.0], np.cumsum(pips)])
    return float((np.maximum.accumulate(equity) - equity).max())


def summary(pips: np.ndarray, days: int) -> Metrics:
    """The issue's metric set; pips in exit order; profit_factor is None when nothing lost."""
    n = int(pips.shape[0])
    loss, gain = float(-pips[pips < 0].sum()), float(pips[pips > 0].sum())
    return {
        "trades": n,
        "win_rate": round(float((pips > 0).mean()), 4) if n else 0.0,
        "profit_factor": round(gain / loss, 4) if loss > 0 else None,
        "expectancy_pips": round(float(pips.mean()), 4) if n else 0.0,
        "max_drawdown_pips": round(max_drawdown(pips), 2),
        "trades_per_day": round(n / days, 4) if days else 0.0,
    }


def pooled_pips(
    results: list[PairResult],
    random: bool = False,
    keep: Callable[[PairResult], np.ndarray] | None = None,
) -> np.ndarray:
    """Every pair's trade pips merged in exit-time order."""
    pips, times = [np.zeros(0)], [np.zeros(0, dtype=np.int64)]
    for r in results:
        t, when = (r.random, r.random_exit_time) if random else (r.trades, r.exit_time)
        mask = keep(r) if keep else np.ones(len(t), dtype=bool)
        pips.append(t.pips[mask])
        times.append(when[mask])
    order = np.argsort(np.concatenate(times), kind="stable")
    return np.concatenate(pips)[order]


def total_days(results: list[PairResult]) -> int:
    """Distinct calendar days with data across all pairs."""
    return int(np.unique(np.concatenate([r.day_ids for r in results] or [np.zeros(0)])).size)


def bucket_of(scores: np.ndarray) -> np.ndarray:
    """Shield label of every score."""
    return np.array([label_for(float(s)) for s in scores], dtype=object)


def in_bucket(name: str) -> Callable[[PairResult], np.ndarray]:
    """Trade mask of one shield label, for `pooled_pips(keep=...)`."""

    def keep(r: PairResult) -> np.ndarray:
        return bucket_of(r.shield) == name

    return keep


def by_shield(results: list[PairResult]) -> dict[str, Metrics]:
    """Metrics per shield label, strongest first (empty buckets skipped)."""
    days = total_days(results)
    out = {}
    for _, name in LABELS:
        pips = pooled_pips(results, keep=in_bucket(name))
        if pips.size:
            out[name] = summary(pips, days)
    return out


def break_even_win_rate(results: list[PairResult]) -> float:
    """Mean stop / (stop + target) of VENOM's trades: the win rate that earns nothing."""
    s = np.concatenate([r.trades.stop_pips for r in results] or [np.zeros(0)])
    t = np.concatenate([r.trades.target_pips for r in results] or [np.zeros(0)])
    return round(float((s / (s + t)).mean()), 4) if s.size else 0.0


def random_spread(results: list[PairResult]) -> dict[str, float | int | None]:
    """Pooled PF and expectancy of each extra random twin: how much chance alone varies.
    A twin without a losing trade has an infinite PF, reported as None like `summary` does."""
    runs = len(results[0].random_runs) if results else 0
    pooled = [np.concatenate([r.random_runs[k] for r in results]) for k in range(runs)]
    pooled = [p for p in pooled if p.size]
    if not pooled:
        return {"runs": 0}
    pfs = np.array([summary(p, 1)["profit_factor"] or np.inf for p in pooled])

    def pf_at(q: int) -> float | None:
        v = float(np.percentile(pfs, q, method="nearest"))
        return round(v, 4) if np.isfinite(v) else None

    return {
        "runs": len(pooled),
        "profit_factor_median": pf_at(50),
        "profit_factor_p5": pf_at(5),
        "profit_factor_p95": pf_at(95),
        "expectancy_pips_median": round(float(np.median([p.mean() for p in pooled])), 4),
    }


def build(results: list[PairResult], seconds: float) -> dict:
    """The `--json` document of the issue."""
    return {
        "pooled": summary(pooled_pips(results), total_days(results)),
        "per_pair": {
            r.pair: summary(
                r.trades.pips[np.argsort(r.exit_time, kind="stable")], int(r.day_ids.size)
            )
            for r in results
        },
        "by_shield": by_shield(results),
        "random_baseline": summary(pooled_pips(results, random=True), total_days(results)),
        "random_runs": random_spread(results),
        "break_even_win_rate": break_even_win_rate(results),
        "bars": int(sum(r.bars for r in results)),
        "seconds": round(seconds, 3),
    }
