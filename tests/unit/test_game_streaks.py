"""Streaks with grace, as pure rules."""

from __future__ import annotations

from datetime import date, timedelta

from bitten.domain.game.streaks import (
    Cover,
    DayOutcome,
    StreakState,
    advance,
    day_outcome,
    grace_left,
)

F, M, B, N = DayOutcome.FOLLOWED, DayOutcome.MISSED, DayOutcome.BROKEN, DayOutcome.NEUTRAL
MONDAY = date(2024, 1, 8)


def run(outcomes: list[DayOutcome], shields: int = 0) -> tuple[StreakState, list[Cover | None]]:
    state, covers = StreakState(), []
    for i, outcome in enumerate(outcomes):
        step = advance(state, MONDAY + timedelta(days=i), outcome, shields)
        shields -= step.cover is Cover.SHIELD
        state, covers = step.state, covers + [step.cover]
    return state, covers


def test_followed_days_count_and_weekends_do_not_break_them():
    state, _ = run([F, F, F, F, F, N, N, F])
    assert (state.current, state.best) == (6, 6)


def test_one_missed_day_a_week_is_covered_by_grace():
    state, covers = run([F, M, F])
    assert covers == [None, Cover.GRACE, None]
    assert state.current == 2 and not grace_left(state, MONDAY)


def test_a_second_miss_in_the_week_uses_a_shield_then_ends_the_streak():
    state, covers = run([F, M, M, F, M], shields=1)
    assert covers == [None, Cover.GRACE, Cover.SHIELD, None, None]
    assert (state.current, state.best) == (0, 2)


def test_the_grace_comes_back_the_next_week():
    state, covers = run([F, M, F, F, F, N, N, M, F])  # the second miss is next Monday
    assert covers[7] is Cover.GRACE and state.current == 5


def test_breaking_the_plan_ends_the_streak_whatever_is_held():
    state, covers = run([F, F, B], shields=2)
    assert covers == [None, None, None] and (state.current, state.best) == (0, 2)


def test_a_day_already_counted_changes_nothing():
    state, _ = run([F])
    again = advance(state, MONDAY, F, 0)
    assert again.state == state


def test_what_a_day_means_for_the_streak():
    assert day_outcome(market_day=True, missions=2, shots=1, broken=False) is F
    assert day_outcome(market_day=True, missions=2, shots=0, broken=False) is M
    assert day_outcome(market_day=True, missions=0, shots=0, broken=False) is N
    assert day_outcome(market_day=False, missions=1, shots=0, broken=False) is N
    assert day_outcome(market_day=False, missions=1, shots=1, broken=True) is B
