"""Bracket-order fills on bid candles: next-bar entry, spread on the ask side, stop first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.strategy.candles import Candles

STOP, TARGET, TIMEOUT, OPEN = 0, 1, 2, 3
_CHUNK = 4096


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

    def take(self, keep: np.ndarray) -> Trades:
        """The subset selected by an index or mask array."""
        fields = {k: getattr(self, k)[keep] for k in self.__dataclass_fields__ if k != "pair"}
        return Trades(self.pair, **fields)


@dataclass(frozen=True)
class Brackets:
    """Candidate entries: signal bar index, +1/-1, stop and target distances in pips."""

    signal_idx: np.ndarray
    direction: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray


def _first_hit(hit: np.ndarray) -> np.ndarray:
    """Column of the first True per row, or the row width when none."""
    any_hit = hit.any(axis=1)
    return np.where(any_hit, hit.argmax(axis=1), hit.shape[1])


def _resolve_chunk(c: Candles, b: Brackets, sl: slice, pip: float, spread: float, hold: int):
    n = len(c)
    entry = b.signal_idx[sl] + 1
    cols = entry[:, None] + np.arange(hold)[None, :]
    valid = cols < n
    cols = np.minimum(cols, n - 1)
    d = b.direction[sl][:, None]
    cost = spread * pip
    entry_px = c.open[entry] + np.where(b.direction[sl] > 0, cost, 0.0)
    stop_lvl = entry_px - b.direction[sl] * b.stop_pips[sl] * pip
    tgt_lvl = entry_px + b.direction[sl] * b.target_pips[sl] * pip
    # Longs exit at the bid; shorts buy back at the ask (bid + spread).
    exit_cost = np.where(d < 0, cost, 0.0)
    hi, lo, op = c.high[cols] + exit_cost, c.low[cols] + exit_cost, c.open[cols] + exit_cost
    adverse = np.where(d > 0, lo, hi)
    favour = np.where(d > 0, hi, lo)
    stop_hit = ((adverse - stop_lvl[:, None]) * d <= 0) & valid
    tgt_hit = ((favour - tgt_lvl[:, None]) * d >= 0) & valid
    j_stop, j_tgt = _first_hit(stop_hit), _first_hit(tgt_hit)
    return entry, entry_px, stop_lvl, tgt_lvl, j_stop, j_tgt, op, cols, valid, exit_cost


def resolve(c: Candles, b: Brackets, pip: float, spread: float, hold: int) -> dict[str, np.ndarray]:
    """Exit bar, exit price and outcome for every candidate, ignoring overlaps."""
    parts: list[dict[str, np.ndarray]] = []
    for start in range(0, b.signal_idx.shape[0], _CHUNK):
        parts.append(_resolve_part(c, b, slice(start, start + _CHUNK), pip, spread, hold))
    if not parts:
        return {k: np.zeros(0) for k in ("entry_idx", "entry_px", "exit_idx", "exit_px", "outcome")}
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _resolve_part(c, b, sl, pip, spread, hold) -> dict[str, np.ndarray]:
    entry, entry_px, stop_lvl, tgt_lvl, j_stop, j_tgt, op, cols, valid, ec = _resolve_chunk(
        c, b, sl, pip, spread, hold
    )
    d = b.direction[sl]
    rows = np.arange(entry.shape[0])
    last = valid.sum(axis=1) - 1
    j = np.minimum(np.minimum(j_stop, j_tgt), last)
    outcome = np.where(j_stop <= j_tgt, STOP, TARGET)
    outcome = np.where(
        np.minimum(j_stop, j_tgt) > last, np.where(last < hold - 1, OPEN, TIMEOUT), outcome
    )
    o = op[rows, j]
    # A gap through the level fills at the open (worse for stops, better for targets).
    stop_px = np.where(d > 0, np.minimum(o, stop_lvl), np.maximum(o, stop_lvl))
    tgt_px = np.where(d > 0, np.maximum(o, tgt_lvl), np.minimum(o, tgt_lvl))
    close_px = c.close[cols[rows, j]] + ec[:, 0]
    exit_px = np.select([outcome == STOP, outcome == TARGET], [stop_px, tgt_px], close_px)
    return {
        "entry_idx": entry,
        "entry_px": entry_px,
        "exit_idx": cols[rows, j],
        "exit_px": exit_px,
        "outcome": outcome,
    }
