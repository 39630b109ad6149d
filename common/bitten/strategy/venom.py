"""VENOM v5: fade stretched moves in the quiet sessions, on M1 candles of the 28 pairs and gold.

The rule (v4's, chosen on EURUSD 2015-2016; docs/venom.md): when the close sits more than
`stretch` standard deviations away from its `window`-bar mean, trade back toward the mean.
Target = `target_frac` of the distance to the mean, stop = `stop_frac` of it, and only when the
target is at least `min_target_spreads` spreads at that hour. A stretch made by a jump (more
than `shock_sd` sd within `shock_bars` bars) is news and is left alone. VENOM only fades toward
the two-day trend (close above its `trend_window`-bar mean to buy, below to sell). A window with
a weekend or holiday gap inside is skipped. v5 fires this rule in the hours of the setups that
trade the pair's family (strategy/setups.py) and passes every pair's signals through one book
(strategy/portfolio.py), in the backtest and in the live scan alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.domain.broker import Side
from bitten.strategy import indicators as ind
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import Shield
from bitten.strategy.pricing import pip_of
from bitten.strategy.setups import LIVE, SETUPS, V5, Profile, setup_by_hour

REPLAY_BARS = 900  # the live book is replayed this far back (an empty book is < 15 h ago)


@dataclass(frozen=True)
class VenomParams:
    """The few numbers VENOM has; defaults are the walk-forward choice."""

    window: int = 240
    stretch: float = 3.0
    target_frac: float = 0.5
    stop_frac: float = 2.0
    min_target_spreads: float = 6.0  # v4's, which the live profile keeps (v5: 4)
    shock_sd: float = 2.5  # float("inf") turns the jump filter off
    shock_bars: int = 5
    trend_window: int = 2880  # two trading days of M1 bars; 0 turns the trend filter off
    max_window_minutes: int = 300  # the `window` bars must span at most this much clock time
    session_hours: tuple[int, ...] | None = None  # None: the setups' hours for the pair
    fresh_only: bool = True
    max_hold_bars: int = 480
    expiry_minutes: int = 10
    profile: Profile = LIVE  # which setups trade which pairs


DEFAULT = VenomParams()  # what runs live
V5_PARAMS = VenomParams(min_target_spreads=4.0, profile=V5)  # v5 as chosen; failed look 5
PROFILES = {"live": DEFAULT, "v5": V5_PARAMS}
LOOKBACK_BARS = DEFAULT.trend_window + REPLAY_BARS  # 3780: the trend, then the book's replay


@dataclass(frozen=True)
class VenomFrame:
    """Per-bar output over a whole candle array: direction 0 means no signal."""

    direction: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray
    confidence: np.ndarray
    zscore: np.ndarray
    setup: np.ndarray  # 1 + index into SETUPS where a signal fires, else 0


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
    setup: str = ""


def in_session(time: np.ndarray, hours: tuple[int, ...]) -> np.ndarray:
    """Bar opens inside the trading hours, Monday 00:00 to Friday 20:00 UTC (no weekly open)."""
    hour = ind.minute_of_day(time) // 60
    day = ind.weekday(time)
    return np.isin(hour, hours) & (day < 5) & ~((day == 4) & (hour >= 20))


def setup_at(c: Candles, p: VenomParams = DEFAULT) -> np.ndarray:
    """1 + the SETUPS index trading each bar of this pair (0 = no setup, or outside the week)."""
    if p.session_hours is not None:
        by_hour = np.isin(np.arange(24), p.session_hours).astype(np.int64)
    else:
        by_hour = np.asarray(setup_by_hour(c.pair, p.profile), dtype=np.int64)
    open_week = in_session(c.time, tuple(range(24)))
    return np.where(open_week, by_hour[ind.minute_of_day(c.time) // 60], 0)


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
    setup = setup_at(c, p)
    ok = (setup > 0) & (target >= p.min_target_spreads * spread_pips)
    ok &= ~jumped(pts, std, p) & gap_free(c.time, p) & with_trend(pts, side, p)
    direction = np.where(ok & np.isfinite(z), side, 0).astype(np.int8)
    conf = _confidence(z, target, spread_pips, p)
    return VenomFrame(direction, stop, target, conf, z, np.where(direction != 0, setup, 0))


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


def setup_name(code: int) -> str:
    """The setup's name for a frame's setup code."""
    return SETUPS[code - 1].name if code > 0 else "none"


def scan(
    candles: dict[str, Candles], now: int, spreads: dict[str, float] | None = None
) -> list[Signal]:
    """Signals for every pair whose last bar CLOSED by `now` (epoch s) sets one up and that the
    book admits (`bitten.strategy.live.scan`; kept here as the platform's entry point)."""
    from bitten.strategy.live import scan as live_scan

    return live_scan(candles, now, spreads)
