"""Backtest figures: the issue's metric set, pooled and by pair, setup, family, session, shield
bucket and month, with trades per trading day, and the JSON document."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bitten.domain.shield import LABELS, label_for
from bitten.strategy.backtest import Result
from bitten.strategy.setups import family_of
from bitten.strategy.trades import TradeTable

Metrics = dict[str, float | int | None]
SESSIONS = (  # by the UTC hour of the signal bar
    ("asian 23-07", (23, 0, 1, 2, 3, 4, 5, 6)),
    ("london 07-12", (7, 8, 9, 10, 11)),
    ("new york 12-17", (12, 13, 14, 15, 16)),
    ("late 17-21", (17, 18, 19, 20)),
    ("roll 21-23", (21, 22)),
)


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
        "total_pips": round(float(pips.sum()), 2),
        "max_drawdown_pips": round(max_drawdown(pips), 2),
        "trades_per_day": round(n / days, 4) if days else 0.0,
    }


def group_by(t: TradeTable, key: Callable[[TradeTable], np.ndarray], days: int) -> dict:
    """Metrics per distinct value of `key` (sorted)."""
    keys = key(t)
    return {str(k): summary(t.pips[keys == k], days) for k in sorted(set(keys.tolist()))}


def session_of(t: TradeTable) -> np.ndarray:
    """The session name of each trade's signal hour."""
    hour = (t.signal_time // 3600) % 24
    out = np.full(len(t), "", dtype=object)
    for name, hours in SESSIONS:
        out[np.isin(hour, hours)] = name
    return out


def month_of(t: TradeTable) -> np.ndarray:
    """'YYYY-MM' of each trade's exit."""
    return np.datetime_as_string(t.exit_time.astype("datetime64[s]"), unit="M").astype(object)


def bucket_of(scores: np.ndarray) -> np.ndarray:
    """Shield label of every score."""
    return np.array([label_for(float(s)) for s in scores], dtype=object)


def per_bucket(t: TradeTable, days: int) -> dict[str, Metrics]:
    """Metrics per shield label, strongest first (empty buckets skipped)."""
    labels = bucket_of(t.shield)
    out = {}
    for _, name in LABELS:
        if (labels == name).any():
            out[name] = summary(t.pips[labels == name], days)
    return out


def break_even_win_rate(t: TradeTable) -> float:
    """Mean stop / (stop + target) of VENOM's trades: the win rate that earns nothing."""
    s, g = t.stop_pips, t.target_pips
    return round(float((s / (s + g)).mean()), 4) if len(t) else 0.0


def random_spread(runs: tuple[np.ndarray, ...]) -> dict[str, float | int | None]:
    """Pooled PF and expectancy of each extra random twin: how much chance alone varies.
    A twin without a losing trade has an infinite PF, reported as None like `summary` does."""
    pooled = [p for p in runs if p.size]
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


def build(r: Result, seconds: float) -> dict:
    """The `--json` document of the issue."""
    t, days = r.trades, int(r.day_ids.size)
    pairs = {p: summary(t.pips[t.pair == p], r.pair_days[p]) for p in r.pairs}
    return {
        "pooled": summary(t.pips, days),
        "trading_days": days,
        "per_pair": pairs,
        "per_setup": group_by(t, lambda x: x.setup, days),
        "per_family": group_by(t, lambda x: np.array([family_of(p) for p in x.pair]), days),
        "per_session": group_by(t, session_of, days),
        "per_bucket": per_bucket(t, days),
        "by_month": group_by(t, month_of, days),
        "random_baseline": summary(r.random.pips, days),
        "random_runs": random_spread(r.random_runs),
        "break_even_win_rate": break_even_win_rate(t),
        "bars": r.bars,
        "seconds": round(seconds, 3),
    }
