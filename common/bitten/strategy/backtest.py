"""Vectorized backtester: the live VENOM frame over history, one book, a random baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bitten.strategy import indicators as ind
from bitten.strategy import venom
from bitten.strategy.candidates import PairCandidates, pair_candidates, pooled
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import score_bars
from bitten.strategy.fills import OPEN, Brackets, Trades, resolve
from bitten.strategy.portfolio import DEFAULT_RULES, BookRules, admit
from bitten.strategy.pricing import spread_series
from bitten.strategy.trades import TradeTable, random_twins, table_of

RANDOM_SEED = 20240601
RANDOM_RUNS = 20  # more random twins (seeds RANDOM_SEED + 1...), for the spread of chance


@dataclass(frozen=True)
class Result:
    """VENOM's book over every pair, its random twin, and the extra twins' pips."""

    trades: TradeTable
    random: TradeTable
    random_runs: tuple[np.ndarray, ...]
    pairs: tuple[str, ...]
    bars: int
    day_ids: np.ndarray  # UTC days with bars, Monday to Friday (trading days)
    pair_days: dict[str, int]


def one_at_a_time(signal_idx: np.ndarray, exit_idx: np.ndarray) -> np.ndarray:
    """Candidates taken when a pair holds one trade at a time (next signal after the exit)."""
    keep: list[int] = []
    free_from = -1
    for k in range(signal_idx.shape[0]):
        if signal_idx[k] >= free_from:
            keep.append(k)
            free_from = int(exit_idx[k])
    return np.asarray(keep, dtype=np.int64)


def _only(b: Brackets, mask: np.ndarray) -> Brackets:
    return Brackets(b.signal_idx[mask], b.direction[mask], b.stop_pips[mask], b.target_pips[mask])


def simulate(
    c: Candles,
    b: Brackets,
    pip: float,
    spread: float | np.ndarray,
    hold: int,
    overlap: bool = False,
) -> Trades:
    """Fill every bracket at the open after its signal bar; drop trades still open at the end."""
    b = _only(b, b.signal_idx + 1 < len(c))
    r = resolve(c, b, pip, spread, hold)
    keep = np.arange(len(b.signal_idx)) if overlap else one_at_a_time(b.signal_idx, r["exit_idx"])
    keep = keep[r["outcome"][keep] != OPEN]
    d = b.direction[keep]
    pips = (r["exit_px"][keep] - r["entry_px"][keep]) * d / pip
    return Trades(
        c.pair,
        b.signal_idx[keep],
        r["entry_idx"][keep],
        r["exit_idx"][keep],
        d,
        r["entry_px"][keep],
        r["exit_px"][keep],
        pips,
        r["outcome"][keep],
        b.stop_pips[keep],
        b.target_pips[keep],
    )


def _shield(c: Candles, pc: PairCandidates, spread: np.ndarray) -> np.ndarray:
    """CITADEL's score at each candidate, for its own direction."""
    out = np.zeros(pc.idx.size)
    for d in (-1, 1):
        rows = pc.direction == d
        if rows.any():
            out[rows] = score_bars(c, np.full(len(c), d), spread)[pc.idx[rows]]
    return out


def trading_days(c: Candles) -> np.ndarray:
    """UTC days (epoch // 86400) with bars from Monday to Friday."""
    return np.unique(c.time[ind.weekday(c.time) < 5] // 86400)


def run(
    candles: dict[str, Candles],
    spreads: dict[str, float] | None = None,
    p: venom.VenomParams = venom.DEFAULT,
    progress: Callable[[str], None] | None = None,
    cost: float = 1.0,
    rules: BookRules = DEFAULT_RULES,
) -> Result:
    """Backtest every pair through one book; fills pay `cost` x the model spread."""
    pcs, sp = [], {}
    for pair, c in candles.items():
        sp[pair] = spread_series(pair, c.time, spreads)
        pcs.append(pair_candidates(c, sp[pair], p, cost)[1])
        if progress:
            progress(pair)
    taken = admit(pooled(pcs, {k: c.time for k, c in candles.items()}), rules)
    kept, start = {}, 0
    for pc in pcs:
        kept[pc.pair], start = taken[start : start + pc.idx.size], start + pc.idx.size
    shields = {pc.pair: _shield(candles[pc.pair], pc, sp[pc.pair]) for pc in pcs}
    trades = table_of(candles, pcs, kept, shields, sp, cost)
    rand, runs = random_twins(candles, trades, sp, p, cost, RANDOM_SEED, RANDOM_RUNS)
    weekday = {pair: trading_days(c) for pair, c in candles.items()}
    days = np.unique(np.concatenate(list(weekday.values()) or [np.zeros(0, np.int64)]))
    return Result(
        trades,
        rand,
        runs,
        tuple(candles),
        int(sum(len(c) for c in candles.values())),
        days,
        {pair: int(d.size) for pair, d in weekday.items()},
    )
