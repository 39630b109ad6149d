"""Streaks with grace: consecutive market days on which the trader followed the plan.

Weekends and market holidays neither count nor break. A market day on which the trader had
missions but took no shot is a missed day: the week's one grace day covers it, then a streak
shield from the shop; after that the streak is over. Breaking the plan (a trade closed by hand,
a shot the plan refused) ends the streak whatever the trader holds.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from bitten.domain.game.trading_day import iso_week


class DayOutcome(StrEnum):
    FOLLOWED = "followed"  # shots taken, none closed by hand, nothing refused
    MISSED = "missed"  # missions came, no shot taken
    BROKEN = "broken"  # a trade abandoned or a shot beyond the plan tried
    NEUTRAL = "neutral"  # weekend, holiday, or no mission to take


class Cover(StrEnum):
    GRACE = "grace"
    SHIELD = "shield"


class StreakState(BaseModel):
    current: int = 0
    best: int = 0
    last_day: date | None = None
    grace_week: str | None = None  # ISO week whose grace day is spent


class StreakStep(BaseModel):
    state: StreakState
    cover: Cover | None = None


def day_outcome(market_day: bool, missions: int, shots: int, broken: bool) -> DayOutcome:
    """What a trading day means for the streak."""
    if broken:
        return DayOutcome.BROKEN
    if not market_day:
        return DayOutcome.NEUTRAL
    if shots:
        return DayOutcome.FOLLOWED
    return DayOutcome.MISSED if missions else DayOutcome.NEUTRAL


def advance(state: StreakState, day: date, outcome: DayOutcome, shields: int) -> StreakStep:
    """The streak after `day`; a day at or before `last_day` was already counted (no change)."""
    if state.last_day is not None and day <= state.last_day:
        return StreakStep(state=state)
    moved = state.model_copy(update={"last_day": day})
    if outcome is DayOutcome.FOLLOWED:
        current = state.current + 1
        return StreakStep(
            state=moved.model_copy(update={"current": current, "best": max(state.best, current)})
        )
    if outcome is DayOutcome.BROKEN:
        return StreakStep(state=moved.model_copy(update={"current": 0}))
    if outcome is DayOutcome.MISSED and state.current:
        return _missed(moved, day, shields)
    return StreakStep(state=moved)


def _missed(state: StreakState, day: date, shields: int) -> StreakStep:
    week = iso_week(day)
    if state.grace_week != week:
        return StreakStep(state=state.model_copy(update={"grace_week": week}), cover=Cover.GRACE)
    if shields > 0:
        return StreakStep(state=state, cover=Cover.SHIELD)
    return StreakStep(state=state.model_copy(update={"current": 0}))


def grace_left(state: StreakState, today: date) -> bool:
    """Is this week's grace day still unspent?"""
    return state.grace_week != iso_week(today)
