"""Bracket-order fills on bid candles: next-bar entry, spread on the ask side, stop first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.strategy.candles import Candles

STOP, TARGET, TIMEOUT, OPEN = 0, 1, 2, 3
FIRST_BLOCK = 32


@dataclass(frozen=True)
class Trades:
    """One row per closed trade (parallel arrays); prices are the actual fills."""

    pair: str
    signal_idx: np.ndarray
    entry_idx: np.ndarray
    exit_idx: np.ndarray
    direction: np.ndarray
    entry_price: np.ndarray
    exit_price: np.ndarray
    pips: np.ndarray
    outcome: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray

    def __len__(self) -> int:
        return int(self.pips.shape[0])


@dataclass(frozen=True)
class Brackets:
    """Candidate entries: signal bar index, +1/-1, stop and target distances in pips."""

    signal_idx: np.ndarray
    direction: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray


@dataclass(frozen=True)
class _Levels:
    entry: np.ndarray
    entry_px: np.ndarray
    stop: np.ndarray
    target: np.ndarray
    side: np.ndarray
    cost: np.ndarray  # the spread of every bar, in price


def bar_spreads(c: Candles, spread: float | np.ndarray) -> np.ndarray:
    """The spread in pips of every bar: a flat number, or one per bar (the hourly model)."""
    return np.broadcast_to(np.asarray(spread, dtype=np.float64), (len(c),))


def _levels(c: Candles, b: Brackets, pip: float, spread: float | np.ndarray) -> _Levels:
    """Longs fill at the ask (bid + that bar's spread); levels are measured from the fill."""
    cost = bar_spreads(c, spread) * pip
    entry = b.signal_idx + 1
    side = b.direction.astype(np.int64)
    entry_px = c.open[entry] + np.where(side > 0, cost[entry], 0.0)
    stop = entry_px - side * b.stop_pips * pip
    target = entry_px + side * b.target_pips * pip
    return _Levels(entry, entry_px, stop, target, side, cost)


def _scan_block(c: Candles, lv: _Levels, rows: np.ndarray, start: int, width: int):
    """First stop / target bar offsets of `rows` within bars [entry+start, entry+start+width)."""
    n = len(c)
    cols = lv.entry[rows, None] + start + np.arange(width)[None, :]
    valid = cols < n
    cols = np.minimum(cols, n - 1)
    d = lv.side[rows, None]
    # Shorts are bought back at the ask, so their exits see bid + that bar's spread.
    ask = np.where(d < 0, lv.cost[cols], 0.0)
    adverse = np.where(d > 0, c.low[cols], c.high[cols] + ask)
    favour = np.where(d > 0, c.high[cols], c.low[cols] + ask)
    stop_hit = ((adverse - lv.stop[rows, None]) * d <= 0) & valid
    tgt_hit = ((favour - lv.target[rows, None]) * d >= 0) & valid
    return _first(stop_hit), _first(tgt_hit), cols, valid


def _first(hit: np.ndarray) -> np.ndarray:
    """Column of the first True per row, or the row width when none."""
    return np.where(hit.any(axis=1), hit.argmax(axis=1), hit.shape[1])


def _exit_price(c: Candles, lv: _Levels, rows: np.ndarray, bar: np.ndarray, kind: np.ndarray):
    """Stop / target fills, or the close on a timeout; a gap through a level fills at the open."""
    d = lv.side[rows]
    ask = np.where(d < 0, lv.cost[bar], 0.0)
    o = c.open[bar] + ask
    stop_px = np.where(d > 0, np.minimum(o, lv.stop[rows]), np.maximum(o, lv.stop[rows]))
    tgt_px = np.where(d > 0, np.maximum(o, lv.target[rows]), np.minimum(o, lv.target[rows]))
    return np.select([kind == STOP, kind == TARGET], [stop_px, tgt_px], c.close[bar] + ask)


def resolve(
    c: Candles, b: Brackets, pip: float, spread: float | np.ndarray, hold: int
) -> dict[str, np.ndarray]:
    """Exit bar, exit price and outcome of every candidate (overlaps not yet removed)."""
    lv = _levels(c, b, pip, spread)
    m = lv.entry.shape[0]
    exit_idx, outcome = np.zeros(m, dtype=np.int64), np.full(m, OPEN, dtype=np.int64)
    exit_px = np.zeros(m)
    pending, start, width = np.arange(m), 0, FIRST_BLOCK
    while pending.size and start < hold:
        width = min(width, hold - start)
        j_stop, j_tgt, cols, valid = _scan_block(c, lv, pending, start, width)
        j = np.minimum(j_stop, j_tgt)
        hit = j < width
        last = valid.sum(axis=1) - 1
        timeout = ~hit & (start + width >= hold) & (last == width - 1)
        kind = np.where(hit, np.where(j_stop <= j_tgt, STOP, TARGET), TIMEOUT)
        done = hit | timeout
        rows = pending[done]
        bar = cols[np.nonzero(done)[0], np.where(hit, j, width - 1)[done]]
        exit_idx[rows], outcome[rows] = bar, kind[done]
        exit_px[rows] = _exit_price(c, lv, rows, bar, kind[done])
        ran_out = ~done & (last < width - 1)
        pending = pending[~done & ~ran_out]
        start, width = start + width, width * 2
    return {
        "entry_idx": lv.entry,
        "entry_px": lv.entry_px,
        "exit_idx": exit_idx,
        "exit_px": exit_px,
        "outcome": outcome,
    }
