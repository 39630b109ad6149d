"""The intel shop and the battle pass (issue 12): atomic purchases, rewards claimed once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bitten.domain.game.shop import PurchaseRefused
from bitten.domain.tiers import Tier
from bitten.domain.xp import XpAward, XpKind
from bitten.services.game.plans import choose_plan
from bitten.services.game.season_view import season_view, shop_view
from bitten.services.game.shop import buy, claim_rewards
from factories import add_trader
from game_factories import balance, grant_xp, ledger_sum, tick_deps


def test_twenty_concurrent_purchases_with_xp_for_three_buy_exactly_three(world):
    # Given a trader with 200 XP and deep-dives at 60 XP each
    trader = add_trader(world)
    grant_xp(world, trader, 200)
    deps = tick_deps(world)
    start, bought, refused = threading.Barrier(20), [], []

    def purchase(i: int) -> None:
        start.wait()
        try:
            bought.append(buy(trader.id, "citadel_deep_dive", f"key-{i}", deps))
        except PurchaseRefused as why:
            refused.append(str(why))

    # When 20 purchases arrive at once
    threads = [threading.Thread(target=purchase, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly three go through, the balance is 20, and each refusal says why
    assert len(bought) == 3 and len(refused) == 17
    assert balance(world, trader) == ledger_sum(world, trader) == 20
    assert set(refused) == {"CITADEL deep-dive costs 60 XP; your balance is 20 XP (40 short)"}
    assert world.rows("SELECT quantity FROM inventory") == [{"quantity": 3}]


def test_a_retried_purchase_with_the_same_key_charges_once(world):
    trader = add_trader(world)
    grant_xp(world, trader, 200)
    first = buy(trader.id, "streak_shield", "same-key", tick_deps(world))
    again = buy(trader.id, "streak_shield", "same-key", tick_deps(world))
    assert (first.replayed, again.replayed) == (False, True)
    assert again.purchase.id == first.purchase.id
    assert balance(world, trader) == 50


@pytest.mark.parametrize(
    ("item", "setup", "reason"),
    [
        ("extra_shot", "bought_today", "Extra shot: 1 a trading day; bought already"),
        ("streak_shield", "hold_two", "Streak shield: you hold 2, the most you can hold"),
        ("citadel_deep_dive", "sold_out", "CITADEL deep-dive is sold out this season"),
        ("badge_veteran", None, "Season Veteran badge is earned in the battle pass, not sold"),
        ("rocket", None, "no item 'rocket' in the shop; on sale: extra_shot, streak_shield"),
    ],
)
def test_a_refused_purchase_says_why_and_charges_nothing(world, item, setup, reason):
    # Given a trader with plenty of XP and the situation `setup`
    trader = add_trader(world)
    grant_xp(world, trader, 1000)
    deps = tick_deps(world)
    if setup == "bought_today":
        buy(trader.id, "extra_shot", "k1", deps)
    if setup == "hold_two":
        buy(trader.id, "streak_shield", "k1", deps)
        buy(trader.id, "streak_shield", "k2", deps)
    if setup == "sold_out":
        world.rows("INSERT INTO shop_stock VALUES ('citadel_deep_dive', '2024-Q1', 0) RETURNING 1")
    before = balance(world, trader)
    # When they try to buy / Then the refusal names the rule and the balance is untouched
    with pytest.raises(PurchaseRefused) as refused:
        buy(trader.id, item, "k-final", deps)
    assert str(refused.value).startswith(reason)
    assert balance(world, trader) == before


def test_spending_never_locks_a_plan_or_lowers_the_season_level(world):
    # Given a trader who earned 250 XP this season and spent 150 of it
    trader = add_trader(world)
    with world.uow() as repos:
        repos.game.xp.award(
            XpAward(trader_id=trader.id, kind=XpKind.PLAN_DAY, amount=250, reference="x"),
            world.clock.now(),
        )
    buy(trader.id, "streak_shield", "k", tick_deps(world))
    # Then DOUBLE_TAP (240 earned) can still be picked and the season level is still 2
    assert choose_plan(trader.id, "DOUBLE_TAP", tick_deps(world)).immediate
    season = season_view(trader.id, world.uow, world.clock.now())
    assert (season.season_xp, season.level) == (250, 2)
    assert shop_view(trader.id, world.uow, world.clock.now()).balance == 100


def earn_season_xp(world, trader, amount: int) -> None:
    with world.uow() as repos:
        award = XpAward(
            trader_id=trader.id,
            kind=XpKind.PLAN_DAY,
            amount=amount,
            reference=f"{trader.id}:season",
        )
        repos.game.xp.award(award, world.clock.now())


@pytest.mark.parametrize(
    ("tier", "claimed"),
    [
        (Tier.PRESS_PASS, [(2, "free", "streak_shield")]),
        (Tier.FANG, [(1, "premium", "citadel_deep_dive"), (2, "free", "streak_shield")]),
    ],
)
def test_battle_pass_rewards_are_claimed_once_and_premium_needs_a_paid_tier(world, tier, claimed):
    # Given a trader at season level 2 (200 season XP)
    trader = add_trader(world, tier=tier)
    earn_season_xp(world, trader, 200)
    # When they claim twice
    first = claim_rewards(trader.id, tick_deps(world))
    world.clock.advance(timedelta(minutes=1))
    second = claim_rewards(trader.id, tick_deps(world))
    # Then the free track pays everyone, the premium track the paid tiers, each reward once
    assert sorted((r.level, r.track.value, r.item) for r in first) == claimed
    assert second == []
    season = season_view(trader.id, world.uow, world.clock.now())
    statuses = {(c.level, c.track.value): c.status for c in season.rewards if c.level <= 3}
    assert statuses[(2, "free")] == "claimed"
    assert statuses[(3, "premium")] == "locked"
