"""VENOM: fade stretched moves in the quiet Asian session, on M1 candles of any FX pair or gold.

The rule (chosen on EURUSD 2015-2016 only, see docs/venom.md): between 23:00 and 06:00 UTC,
when the close sits more than `stretch` standard deviations away from its `window`-bar mean,
trade back toward the mean. Target = `target_frac` of the distance to the mean, stop =
`stop_frac` of it, and only when the target is at least `min_target_spreads` spreads.
A stretch made by a jump (more than `shock_sd` sd within `shock_bars` bars) is news, not
noise, and is left alone. VENOM only fades toward the two-day trend: it buys a dip while the
close is above its `trend_window`-bar mean and sells a rally while it is below (v4). A window
with a weekend or holiday gap inside is not a `window`-minute statistic and is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.domain.broker import Side
from bitten.strategy import indicators as ind
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import Shield, assess_last
from bitten.strategy.pricing import pip_of, spread_series

LOOKBACK_BARS = 3000  # longest window (the 2880-bar trend) plus margin


@dataclass(frozen=True)
class VenomParams:
    """The few numbers VENOM has; defaults are the walk-forward choice."""

    window: int = 240
    stretch: float = 3.0
    target_frac: float = 0.5
    stop_frac: float = 2.0
    min_target_spreads: float = 6.0
    shock_sd: float = 2.5  # float("inf") turns the jump filter off
    shock_bars: int = 5
    trend_window: int = 2880  # two trading days of M1 bars; 0 turns the trend filter off
    max_window_minutes: int = 300  # the `window` bars must span at most this much clock time
    session_hours: tuple[int, ...] = (23, 0, 1, 2, 3, 4, 5)
    fresh_only: bool = True
    max_hold_bars: int = 480
    expiry_minutes: int = 10


DEFAULT = VenomParams()


@dataclass(frozen=True)
class VenomFrame:
    """Per-bar output over a whole candle array: direction 0 means no signal."""

    direction: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray
    confidence: np.ndarray
    zscore: np.ndarray


@dataclass(frozen=True)
class Signal:
    """A trade idea on the last closed bar; entry is that bar's close (bid)."""

    pair: str
    direction: Side
    entry: float
    stop_pips: float
    target_pips: float
    confidence: int
    expiry_minutes: int
    reasons: tuple[str, ...]
    bar_time: int
    shield: Shield


def in_session(time: np.ndarray, hours: tuple[int, ...]) -> np.ndarray:
    """Bar opens inside the trading hours, Monday 00:00 to Friday 20:00 UTC (no weekly open)."""
    hour = ind.minute_of_day(time) // 60
    day = ind.weekday(time)
    return np.isin(hour, hours) & (day < 5) & ~((day == 4) & (hour >= 20))


def frame(c: Candles, spread_pips: float | np.ndarray, p: VenomParams = DEFAULT) -> VenomFrame:
    """VENOM's decision for every bar, vectorized; bar i uses bars <= i only."""
    pts = ind.to_points(c.close, pip_of(c.pair))
    mean = ind.sma(pts, p.window)
    std = ind.rolling_std(pts, p.window)
    z = (pts - mean) / np.where(std > 0, std, np.nan)
    side = np.where(z < -p.stretch, 1, np.where(z > p.stretch, -1, 0))
    if p.fresh_only:
        side = np.where(ind.shift(side.astype(np.float64), 1) == side, 0, side)
    dist = np.abs(pts - mean) / ind.POINTS_PER_PIP
    target, stop = p.target_frac * dist, p.stop_frac * dist
    ok = in_session(c.time, p.session_hours) & (target >= p.min_target_spreads * spread_pips)
    ok &= ~jumped(pts, std, p) & gap_free(c.time, p) & with_trend(pts, side, p)
    direction = np.where(ok & np.isfinite(z), side, 0).astype(np.int8)
    return VenomFrame(direction, stop, target, _confidence(z, target, spread_pips, p), z)


def jumped(pts: np.ndarray, std: np.ndarray, p: VenomParams) -> np.ndarray:
    """The close moved more than `shock_sd` sd over the last `shock_bars` bars (a news jump)."""
    move = np.abs(pts - ind.shift(pts.astype(np.float64), p.shock_bars))
    return move > p.shock_sd * std


def gap_free(time: np.ndarray, p: VenomParams) -> np.ndarray:
    """The last `window` bars span at most `max_window_minutes` (no weekend or holiday inside)."""
    t = time.astype(np.float64)
    return t - ind.shift(t, p.window - 1) <= 60 * p.max_window_minutes


def with_trend(pts: np.ndarray, side: np.ndarray, p: VenomParams) -> np.ndarray:
    """The fade goes the two-day trend's way: close above its mean to buy, below it to sell."""
    if p.trend_window == 0:
        return np.ones(pts.shape[0], dtype=bool)
    return np.sign(pts - ind.sma(pts, p.trend_window)) == side


def _confidence(
    z: np.ndarray, target: np.ndarray, spread: float | np.ndarray, p: VenomParams
) -> np.ndarray:
    """50 at the threshold, more for a deeper stretch and a target far above the spread."""
    depth = np.clip((np.abs(np.nan_to_num(z)) - p.stretch) / p.stretch, 0, 1)
    room_pips = np.maximum(spread, 0.1) * 4 * p.min_target_spreads
    room = np.clip(np.nan_to_num(target) / room_pips, 0, 1)
    return np.rint(50 + 30 * depth + 20 * room).astype(np.int64)


def _reasons(z: float, target: float, spread: float, p: VenomParams) -> tuple[str, ...]:
    where = "below" if z < 0 else "above"
    return (
        f"close {abs(z):.1f} sd {where} its {p.window}-bar mean (threshold {p.stretch})",
        f"a drift, not a jump: under {p.shock_sd} sd moved in the last {p.shock_bars} bars",
        f"with the two-day trend: close {'above' if z < 0 else 'below'} "
        f"its {p.trend_window}-bar mean",
        "Asian session (23:00-06:00 UTC): range-bound hours, away from the daily roll",
        f"target {target:.1f} pips = {target / max(spread, 0.1):.1f}x the {spread:.1f}-pip spread",
    )


def signal_at_last(c: Candles, spread: np.ndarray, p: VenomParams = DEFAULT) -> Signal | None:
    """The signal on the last bar of `c`, if VENOM fires there."""
    if len(c) < p.window + 1:
        return None
    f = frame(c, spread, p)
    d = int(f.direction[-1])
    if d == 0:
        return None
    shield = assess_last(c, d, spread)
    return Signal(
        c.pair,
        "buy" if d > 0 else "sell",
        float(c.close[-1]),
        round(float(f.stop_pips[-1]), 1),
        round(float(f.target_pips[-1]), 1),
        int(f.confidence[-1]),
        p.expiry_minutes,
        _reasons(float(f.zscore[-1]), float(f.target_pips[-1]), float(spread[-1]), p),
        int(c.time[-1]),
        shield,
    )


def scan(
    candles: dict[str, Candles], now: int, spreads: dict[str, float] | None = None
) -> list[Signal]:
    """Signals for every pair whose last bar CLOSED by `now` (epoch s) sets one up."""
    out = []
    for pair, c in candles.items():
        closed = c.upto(now)
        recent = closed.slice(max(0, len(closed) - LOOKBACK_BARS), len(closed))
        # A bar that closed more than a minute ago is stale: its signal was already due.
        if len(recent) and now - (int(recent.time[-1]) + 60) < 60:
            sig = signal_at_last(recent, spread_series(pair, recent.time, spreads))
            if sig:
                out.append(sig)
    return sorted(out, key=lambda s: -s.confidence)
