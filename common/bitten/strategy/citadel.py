"""CITADEL: a 0-10 shield score per signal from independent checks. It never drops a signal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.domain.shield import label_for
from bitten.domain.signal import ShieldCheck
from bitten.strategy import indicators as ind
from bitten.strategy.calendar import home_session_count, minutes_to_release
from bitten.strategy.candles import Candles
from bitten.strategy.pricing import pip_of

TREND_BARS = 240


@dataclass(frozen=True)
class Shield:
    """Total score 0-10 and its label (the risk multiplier follows from the stored score,
    `bitten.domain.shield.multiplier_for`)."""

    score: float
    label: str
    checks: tuple[ShieldCheck, ...]


def _grade(value: np.ndarray, good: float, ok: float, higher_is_better: bool = True) -> np.ndarray:
    v = np.nan_to_num(value, nan=-np.inf if higher_is_better else np.inf)
    if higher_is_better:
        return np.where(v >= good, 2.0, np.where(v >= ok, 1.0, 0.0))
    return np.where(v <= good, 2.0, np.where(v <= ok, 1.0, 0.0))


def raw_checks(
    c: Candles, direction: np.ndarray, spread: float | np.ndarray
) -> dict[str, np.ndarray]:
    """The measured value behind every check, for every bar (bar i uses bars <= i)."""
    pts = ind.to_points(c.close, pip_of(c.pair))
    hi, lo = ind.to_points(c.high, pip_of(c.pair)), ind.to_points(c.low, pip_of(c.pair))
    mean, std = ind.sma(pts, TREND_BARS), ind.rolling_std(pts, TREND_BARS)
    slope = (mean - ind.shift(mean, TREND_BARS)) / np.where(std > 0, std, np.nan)
    atr_fast, atr_slow = ind.atr(hi, lo, pts, 60), ind.atr(hi, lo, pts, 2 * TREND_BARS)
    hourly_atr_pips = atr_fast * np.sqrt(60) / ind.POINTS_PER_PIP
    return {
        "trend": direction * slope,
        "volatility": atr_fast / np.where(atr_slow > 0, atr_slow, np.nan),
        "session": home_session_count(c.pair, c.time).astype(np.float64),
        "spread": hourly_atr_pips / np.maximum(spread, 0.1),
        "news": minutes_to_release(c.pair, c.time).astype(np.float64),
    }


def check_scores(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """0-2 points per check (2 = the condition that protects the trade)."""
    trend = np.nan_to_num(raw["trend"], nan=0.0)
    return {
        "trend": np.where(trend >= 0.5, 2.0, np.where(trend > -0.5, 1.0, 0.0)),
        "volatility": _grade(raw["volatility"], 1.2, 2.0, higher_is_better=False),
        "session": 2.0 - raw["session"],
        "spread": _grade(raw["spread"], 8.0, 4.0),
        "news": _grade(raw["news"], 60.0, 20.0),
    }


def score_bars(c: Candles, direction: np.ndarray, spread: float | np.ndarray) -> np.ndarray:
    """Shield score of every bar for the given trade direction (the backtester's view)."""
    return np.sum(list(check_scores(raw_checks(c, direction, spread)).values()), axis=0)


def _explain(name: str, value: float, points: float) -> str:
    texts = {
        "trend": f"{TREND_BARS}-bar trend {value:+.1f} sd in the trade's favour",
        "volatility": f"volatility {value:.1f}x its 8-hour average",
        "session": f"{int(value)} of the pair's home markets open",
        "spread": f"hourly range {value:.0f}x the spread",
        "news": f"{int(value)} min from the nearest scheduled release",
    }
    return f"{texts[name]} ({points:g}/2)"


def assess_last(c: Candles, direction: int, spread: float | np.ndarray) -> Shield:
    """Shield for a signal on the last bar of `c` (the live view of score_bars). Each trader's
    open exposure is checked later, per mission (`bitten.domain.shield.exposure_penalty`)."""
    dirs = np.full(len(c), direction, dtype=np.int8)
    raw = raw_checks(c, dirs, spread)
    scores = check_scores(raw)
    checks = [
        ShieldCheck(
            name=k,
            score=float(scores[k][-1]),
            explanation=_explain(k, float(np.nan_to_num(raw[k][-1])), float(scores[k][-1])),
        )
        for k in scores
    ]
    total = min(10.0, max(0.0, sum(ch.score for ch in checks)))
    return Shield(total, label_for(total), tuple(checks))
