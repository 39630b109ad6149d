"""Every bar where VENOM fires on one pair, resolved as a bracket: what the book chooses from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.strategy import venom
from bitten.strategy.candles import Candles
from bitten.strategy.fills import OPEN, Brackets, resolve
from bitten.strategy.portfolio import Candidates
from bitten.strategy.pricing import pip_of

STILL_OPEN = np.iinfo(np.int64).max


@dataclass(frozen=True)
class PairCandidates:
    """One row per signal bar of one pair, with the fill it would get (overlaps allowed)."""

    pair: str
    idx: np.ndarray
    direction: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray
    confidence: np.ndarray
    setup: np.ndarray
    exit_idx: np.ndarray
    outcome: np.ndarray
    entry_px: np.ndarray
    exit_px: np.ndarray
    exit_time: np.ndarray  # STILL_OPEN when the bars end first

    @property
    def pips(self) -> np.ndarray:
        return (self.exit_px - self.entry_px) * self.direction / pip_of(self.pair)


def pair_candidates(
    c: Candles, spread: np.ndarray, p: venom.VenomParams = venom.DEFAULT, cost: float = 1.0
) -> tuple[venom.VenomFrame, PairCandidates]:
    """The frame and its candidates; fills pay `cost` x the spread (1.5 for the stress run)."""
    f = venom.frame(c, spread, p)
    idx = np.nonzero(f.direction)[0]
    d = f.direction[idx].astype(np.int64)
    filled = idx + 1 < len(c)  # a signal on the last bar has no fill yet: open
    b = Brackets(idx[filled], d[filled], f.stop_pips[idx][filled], f.target_pips[idx][filled])
    r = resolve(c, b, pip_of(c.pair), spread * cost, p.max_hold_bars)
    cols = {k: np.zeros(idx.size, dtype=v.dtype) for k, v in r.items()}
    for k, v in r.items():
        cols[k][filled] = v
    cols["outcome"][~filled] = OPEN
    done = cols["outcome"] != OPEN
    exit_time = np.where(done, c.time[np.where(done, cols["exit_idx"], 0)], STILL_OPEN)
    return f, PairCandidates(
        c.pair,
        idx,
        d,
        f.stop_pips[idx],
        f.target_pips[idx],
        f.confidence[idx],
        f.setup[idx],
        cols["exit_idx"],
        cols["outcome"],
        cols["entry_px"],
        cols["exit_px"],
        exit_time,
    )


def pooled(pcs: list[PairCandidates], times: dict[str, np.ndarray]) -> Candidates:
    """All pairs' candidates as one table for `portfolio.admit` (`times`: each pair's bar times)."""
    cat = np.concatenate
    empty = np.zeros(0, dtype=np.int64)
    return Candidates(
        cat([times[pc.pair][pc.idx] for pc in pcs] or [empty]),
        cat([np.full(pc.idx.size, pc.pair, dtype=object) for pc in pcs] or [empty.astype(object)]),
        cat([pc.direction for pc in pcs] or [empty]),
        cat([pc.exit_time for pc in pcs] or [empty]),
        cat([pc.confidence for pc in pcs] or [empty]),
    )
