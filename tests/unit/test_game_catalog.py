"""Achievements, shop items, seasons and ranks: data validated, rules pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bitten.domain.game.achievements import (
    TraderRecord,
    announcement,
    by_code,
    catalog,
    newly_earned,
    next_targets,
)
from bitten.domain.game.referrals import rank_for
from bitten.domain.game.season import Track, claimable, level, season_of
from bitten.domain.game.shop import PurchaseRefused, check_purchase, item
from bitten.domain.tiers import Tier

GRADES = ["Bronze", "Silver", "Gold", "Platinum", "Diamond", "Master"]


def test_every_family_has_six_grades_and_three_categories_are_covered():
    families: dict[str, list[str]] = {}
    for a in catalog():
        families.setdefault(a.name, []).append(a.grade)
    assert all(grades == GRADES for grades in families.values()) and len(families) == 6
    assert {a.category.value for a in catalog()} == {"discipline", "consistency", "results"}
    assert all(a.xp == 0 for a in catalog() if a.category.value == "results")


def test_a_record_unlocks_each_grade_it_meets_once():
    record = TraderRecord(bracket_closes=12, net_pips=49)
    new = newly_earned(record, have=set())
    assert [a.code for a in new] == ["by_the_book_bronze", "by_the_book_silver"]
    assert newly_earned(record, have={a.code for a in new}) == []
    nearest = {a.name: a.grade for a in next_targets({a.code for a in new})}
    assert nearest["By the Book"] == "Gold" and nearest["Pip Harvest"] == "Bronze"


def test_an_announcement_names_grade_and_xp():
    assert announcement(by_code()["iron_routine_gold"]) == (
        "ACHIEVEMENT UNLOCKED: Iron Routine - Gold (+60 XP)\nA streak of 10 market days on plan."
    )


@pytest.mark.parametrize(
    ("code", "balance", "today", "held", "stock", "why"),
    [
        ("extra_shot", 100, 0, 0, None, None),
        ("extra_shot", 99, 0, 0, None, "Extra shot costs 100 XP; your balance is 99 XP (1 short)"),
        ("extra_shot", 500, 1, 0, None, "Extra shot: 1 a trading day; bought already"),
        ("streak_shield", 500, 0, 2, None, "Streak shield: you hold 2, the most you can hold"),
        ("citadel_deep_dive", 500, 0, 0, 0, "CITADEL deep-dive is sold out this season"),
    ],
)
def test_purchase_rules_refuse_with_the_reason(code, balance, today, held, stock, why):
    if why is None:
        check_purchase(item(code), balance, today, held, stock)
        return
    with pytest.raises(PurchaseRefused) as refused:
        check_purchase(item(code), balance, today, held, stock)
    assert str(refused.value) == why


def test_seasons_are_quarters_and_levels_come_every_100_xp():
    s = season_of(datetime(2024, 12, 31, 23, 59, tzinfo=UTC))
    assert (s.id, s.name) == ("2024-Q4", "Operation Blackout 2024")
    assert s.ends_at == datetime(2025, 1, 1, tzinfo=UTC)
    assert [level(x) for x in (0, 99, 100, 2999, 10_000)] == [0, 0, 1, 29, 30]


def test_the_premium_track_opens_with_a_paid_tier_and_claimed_rewards_stay_claimed():
    free = claimable(3, Tier.PRESS_PASS, set())
    paid = claimable(3, Tier.NIBBLER, {(Track.FREE, 2)})
    assert [(r.level, r.track.value) for r in free] == [(2, "free")]
    assert [(r.level, r.track.value) for r in paid] == [(1, "premium"), (3, "premium")]


def test_ranks_climb_with_active_recruits():
    assert [rank_for(n).name for n in (0, 1, 2, 3, 9, 10, 249, 250)] == [
        "RECRUIT",
        "PRIVATE",
        "PRIVATE",
        "CORPORAL",
        "SERGEANT",
        "LIEUTENANT",
        "COLONEL",
        "GENERAL",
    ]
