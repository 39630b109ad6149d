"""Vectorized backtester: the live VENOM frame over history, bracket fills, a random baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bitten.strategy import venom
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import score_bars
from bitten.strategy.fills import OPEN, Brackets, Trades, resolve
from bitten.strategy.pricing import pip_of, spread_series

RANDOM_SEED = 20240601
RANDOM_RUNS = 20  # more random twins (seeds RANDOM_SEED + 1...), for the spread of chance


@dataclass(frozen=True)
class PairResult:
    """One pair's VENOM trades (with the shield score at each signal) and its random twin."""

    pair: str
    trades: Trades
    shield: np.ndarray
    exit_time: np.ndarray
    random: Trades
    random_exit_time: np.ndarray
    bars: int
    day_ids: np.ndarray
    random_runs: tuple[np.ndarray, ...] = ()  # pips of each extra random twin


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


def venom_brackets(f: venom.VenomFrame) -> Brackets:
    """Every bar where VENOM fires, as a bracket candidate."""
    idx = np.nonzero(f.direction)[0]
    return Brackets(idx, f.direction[idx].astype(np.int64), f.stop_pips[idx], f.target_pips[idx])


def random_brackets(c: Candles, b: Brackets, p: venom.VenomParams, seed: int) -> Brackets:
    """As many random entries (bar and side) in VENOM's hours, with VENOM's own bracket sizes."""
    rng = np.random.default_rng(seed)
    eligible = np.nonzero(venom.in_session(c.time, p.session_hours))[0]
    if len(b.signal_idx) == 0 or len(eligible) == 0:
        return _only(b, np.zeros(len(b.signal_idx), dtype=bool))
    idx = np.sort(rng.choice(eligible, size=len(b.signal_idx), replace=True))
    sizes = rng.permutation(len(b.signal_idx))
    side = rng.choice(np.array([-1, 1]), size=len(idx))
    return Brackets(idx, side, b.stop_pips[sizes], b.target_pips[sizes])


def run_pair(
    c: Candles,
    spread: float | np.ndarray,
    p: venom.VenomParams = venom.DEFAULT,
    seed: int = RANDOM_SEED,
) -> PairResult:
    """VENOM and the random baseline on one pair's history."""
    pip = pip_of(c.pair)
    f = venom.frame(c, spread, p)
    b = venom_brackets(f)
    trades = simulate(c, b, pip, spread, p.max_hold_bars)
    shield = score_bars(c, f.direction.astype(np.int64), spread)[trades.signal_idx]
    rand = simulate(c, random_brackets(c, b, p, seed), pip, spread, p.max_hold_bars)
    runs = tuple(
        simulate(c, random_brackets(c, b, p, seed + k), pip, spread, p.max_hold_bars).pips
        for k in range(1, RANDOM_RUNS + 1)
    )
    return PairResult(
        c.pair,
        trades,
        shield,
        c.time[trades.exit_idx],
        rand,
        c.time[rand.exit_idx],
        len(c),
        np.unique(c.time // 86400),
        runs,
    )


def run(
    candles: dict[str, Candles],
    spreads: dict[str, float] | None = None,
    p: venom.VenomParams = venom.DEFAULT,
    progress: Callable[[str], None] | None = None,
) -> list[PairResult]:
    """Backtest every pair; `progress` is told each pair as it finishes."""
    out = []
    for pair, c in candles.items():
        out.append(run_pair(c, spread_series(pair, c.time, spreads), p))
        if progress:
            progress(pair)
    return out
