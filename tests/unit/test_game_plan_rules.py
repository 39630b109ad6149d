"""Tactical plans: gates, budgets and unlocks, as pure rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bitten.domain.game.plans import (
    PLANS,
    PlanLocked,
    PlanViolation,
    Strategy,
    check_shot,
    check_unlocked,
    parse_strategy,
    unlocked,
)
from bitten.domain.tiers import TierViolation
from factories import make_signal


def signal(shield: str = "7.0", confidence: int = 70):
    return make_signal().model_copy(
        update={"shield_score": Decimal(shield), "confidence": confidence}
    )


def test_the_four_plans_unlock_at_0_120_240_360_and_cap_a_days_risk_at_6_percent():
    assert [p.unlock_xp for p in PLANS.values()] == [0, 120, 240, 360]
    assert [p.shots_per_day for p in PLANS.values()] == [2, 4, 6, 3]
    risk = [p.max_daily_risk(Decimal(2)) for p in PLANS.values()]
    assert risk == [Decimal("4.00"), Decimal("6.00"), Decimal("6.00"), Decimal("6.00")]


def test_a_shot_within_budget_on_a_good_setup_passes_without_an_extra():
    assert check_shot(PLANS[Strategy.FIRST_BLOOD], 3, 0, 0, signal()) is False


def test_the_budget_refusal_names_the_plan_and_the_count():
    with pytest.raises(PlanViolation) as refused:
        check_shot(PLANS[Strategy.FIRST_BLOOD], 4, 0, 0, signal())
    assert str(refused.value) == (
        "FIRST_BLOOD: 4 of 4 shots used today (resets with your 18:00 drill; "
        "an extra shot is in the /shop)"
    )
    assert isinstance(refused.value, TierViolation)  # every FIRE entry point answers it


def test_a_held_extra_shot_opens_one_more_and_counts_once_used():
    plan = PLANS[Strategy.LONE_WOLF]
    assert check_shot(plan, 2, 0, 1, signal()) is True  # spend the extra
    assert check_shot(plan, 2, 1, 0, signal()) is False  # already spent today: 3 allowed
    with pytest.raises(PlanViolation, match="3 of 3 shots"):
        check_shot(plan, 3, 1, 0, signal())


@pytest.mark.parametrize(
    ("strategy", "shield", "confidence", "why"),
    [
        (Strategy.LONE_WOLF, "5.5", 70, "LONE_WOLF: shield 5.5 is below the plan's 6.0 minimum"),
        (Strategy.TACTICAL_COMMAND, "8.0", 59, "TACTICAL_COMMAND: confidence 59% is below"),
    ],
)
def test_a_setup_below_the_plans_bar_is_refused_before_the_budget(
    strategy, shield, confidence, why
):
    with pytest.raises(PlanViolation, match=why):
        check_shot(PLANS[strategy], 0, 0, 0, signal(shield, confidence))


def test_unlocks_follow_lifetime_xp_and_name_what_is_missing():
    assert [p.strategy for p in unlocked(239)] == [Strategy.LONE_WOLF, Strategy.FIRST_BLOOD]
    with pytest.raises(PlanLocked, match="unlocks at 360 XP earned; you have 300 \\(60 to go\\)"):
        check_unlocked(Strategy.TACTICAL_COMMAND, 300)


def test_plan_names_are_forgiving_about_case_and_separators():
    assert parse_strategy("double-tap") is Strategy.DOUBLE_TAP
    assert parse_strategy(" First Blood ") is Strategy.FIRST_BLOOD
    with pytest.raises(ValueError, match="choose one of LONE_WOLF, FIRST_BLOOD"):
        parse_strategy("YOLO")


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_plan_refuses_the_shot_after_its_budget_in_its_own_words(strategy):
    # Given a plan whose day's shots are all used, and no extra shot held
    plan = PLANS[strategy]
    used = plan.shots_per_day
    # When one more FIRE comes / Then the refusal names the plan and the count
    with pytest.raises(PlanViolation) as refused:
        check_shot(plan, used, 0, 0, signal("9.0", 90))
    assert str(refused.value).startswith(f"{strategy.value}: {used} of {used} shots used today")
