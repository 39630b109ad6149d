"""Streaks across real drill days (issue 12): grace day, streak shield, reset, weekends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bitten.domain.tiers import Tier
from bitten.services.game.shop import buy
from bitten.services.game.tick import game_tick
from factories import (
    PRICES,
    add_mission,
    add_trader,
    candles,
    make_signal,
    make_world,
    store_signal,
)
from game_factories import fired_and_closed, grant_xp, tick_deps

MONDAY_NOON = datetime(2024, 1, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(settings):
    """A broker quoting quiet bars for nine days, so a mission can fill on any of them."""
    return make_world(
        settings, {p: candles(p, price, bars=9 * 1440) for p, price in PRICES.items()}
    )


def day_of(world, trader, action: str, day: int) -> None:
    """Noon UTC of week day `day` (0 = Monday): 'fire' a mission, or 'miss' one; then 18:00."""
    world.clock.set(MONDAY_NOON + timedelta(days=day))
    if action == "fire":
        fired_and_closed(world, trader, "tp")
    elif action == "miss":
        world.clock.advance(timedelta(minutes=1))
        add_mission(world, trader, store_signal(world, make_signal(created_at=world.clock.now())))
    world.clock.set(MONDAY_NOON + timedelta(days=day, hours=6))
    game_tick(tick_deps(world))


def streak(world) -> dict:
    (row,) = world.rows("SELECT current, best, grace_week FROM streaks")
    return row


def covers(world) -> list:
    return [r["cover"] for r in world.rows("SELECT cover FROM drill_reports ORDER BY day")]


def test_grace_then_shield_cover_missed_days_and_a_third_miss_ends_the_streak(world):
    # Given a trader holding one streak shield
    trader = add_trader(world, tier=Tier.COMMANDER)
    grant_xp(world, trader, 150)
    buy(trader.id, "streak_shield", "k", tick_deps(world))
    # When they fire Monday, miss Tuesday and Wednesday, fire Thursday and miss Friday
    for day, action in enumerate(["fire", "miss", "miss", "fire", "miss"]):
        day_of(world, trader, action, day)
        if day == 3:
            assert streak(world)["current"] == 2  # Tuesday's grace, Wednesday's shield
    # Then Tuesday used the grace day, Wednesday the shield, and Friday's miss ended it
    assert covers(world) == [None, "grace", "shield", None, None]
    assert streak(world) == {"current": 0, "best": 2, "grace_week": "2024-W02"}
    assert world.rows("SELECT quantity FROM inventory WHERE item = 'streak_shield'") == [
        {"quantity": 0}
    ]


def test_a_weekend_neither_counts_nor_breaks_and_a_new_week_brings_a_new_grace(world):
    # Given a UTC trader who fires Friday, rests through the weekend, misses Monday
    trader = add_trader(world)
    day_of(world, trader, "fire", 4)  # Friday 12 Jan
    day_of(world, trader, "rest", 5)  # Saturday: market shut all window
    day_of(world, trader, "rest", 6)  # Sunday: the market opens 22:00 UTC, after the drill
    day_of(world, trader, "miss", 7)  # Monday 15 Jan: a new week's grace
    # Then the streak survives on the new week's grace day, and the weekend sent no report
    assert streak(world)["current"] == 1
    outcomes = world.rows("SELECT day, outcome FROM drill_reports ORDER BY day")
    assert [r["outcome"] for r in outcomes] == ["followed", "neutral", "neutral", "missed"]
    sent_days = world.rows("SELECT reference FROM game_notices WHERE kind = 'drill'")
    assert sorted(r["reference"][-10:] for r in sent_days) == ["2024-01-12", "2024-01-15"]
