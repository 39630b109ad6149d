"""The live scan: the last LOOKBACK_BARS of every pair, the book replayed, the last bar's signals.

The book (one signal per pair, the currency and daily caps) depends on earlier signals, so the
scan replays the candidates of the lookback through `portfolio.admit`, exactly as the
backtester does over the whole history. The book is empty every day between the last Asian
exit (about 14:00 UTC) and the late session (17:00), and the replay reaches back past it.
"""

from __future__ import annotations

import numpy as np

from bitten.strategy import venom
from bitten.strategy.candidates import PairCandidates, pair_candidates, pooled
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import assess_last
from bitten.strategy.portfolio import DEFAULT_RULES, BookRules, admit
from bitten.strategy.pricing import spread_series
from bitten.strategy.setups import SETUPS


def _reasons(z: float, target: float, spread: float, setup: int, p: venom.VenomParams):
    where = "below" if z < 0 else "above"
    hours = SETUPS[setup - 1].hours
    return (
        f"{venom.setup_name(setup)}: {hours[0]:02d}:00-{(hours[-1] + 1) % 24:02d}:00 UTC, "
        "quiet hours when stretched moves tend to revert",
        f"close {abs(z):.1f} sd {where} its {p.window}-bar mean (threshold {p.stretch})",
        f"a drift, not a jump: under {p.shock_sd} sd moved in the last {p.shock_bars} bars",
        f"with the two-day trend: close {'above' if z < 0 else 'below'} "
        f"its {p.trend_window}-bar mean",
        f"target {target:.1f} pips = {target / max(spread, 0.1):.1f}x the {spread:.1f}-pip spread",
    )


def _signal(c: Candles, f: venom.VenomFrame, spread: np.ndarray, p: venom.VenomParams):
    """The Signal of the frame's last bar (which fired)."""
    d = int(f.direction[-1])
    setup = int(f.setup[-1])
    return venom.Signal(
        c.pair,
        "buy" if d > 0 else "sell",
        float(c.close[-1]),
        round(float(f.stop_pips[-1]), 1),
        round(float(f.target_pips[-1]), 1),
        int(f.confidence[-1]),
        p.expiry_minutes,
        _reasons(float(f.zscore[-1]), float(f.target_pips[-1]), float(spread[-1]), setup, p),
        int(c.time[-1]),
        assess_last(c, d, spread),
        venom.setup_name(setup),
    )


def _recent(c: Candles, now: int) -> Candles:
    closed = c.upto(now)
    return closed.slice(max(0, len(closed) - venom.LOOKBACK_BARS), len(closed))


def scan(
    candles: dict[str, Candles],
    now: int,
    spreads: dict[str, float] | None = None,
    p: venom.VenomParams = venom.DEFAULT,
    rules: BookRules = DEFAULT_RULES,
) -> list[venom.Signal]:
    """Signals of the pairs whose last bar CLOSED by `now` (epoch s), set up and admitted."""
    views, pcs, frames, sp = {}, [], {}, {}
    for pair, c in candles.items():
        recent = _recent(c, now)
        if len(recent) <= p.window:
            continue
        views[pair], sp[pair] = recent, spread_series(pair, recent.time, spreads)
        frames[pair], pc = pair_candidates(recent, sp[pair], p)
        pcs.append(pc)
    taken = admit(pooled(pcs, {k: v.time for k, v in views.items()}), rules)
    out, start = [], 0
    for pc in pcs:
        mine, start = taken[start : start + pc.idx.size], start + pc.idx.size
        if _admits_last(views[pc.pair], pc, mine, now):
            out.append(_signal(views[pc.pair], frames[pc.pair], sp[pc.pair], p))
    return sorted(out, key=lambda s: -s.confidence)


def _admits_last(c: Candles, pc: PairCandidates, taken: np.ndarray, now: int) -> bool:
    """The book took a signal on the last bar, and that bar closed less than a minute ago."""
    last = len(c) - 1
    fresh = now - (int(c.time[last]) + 60) < 60  # an older bar's signal was already due
    return fresh and bool(np.any(taken & (pc.idx == last)))
