"""Referrals' game side (issue 12): the referrer is the one /start CODE sets (traders.referred_by,
tested in test_bot); a recruit turns active once, with XP for both and a rank for the referrer."""

from __future__ import annotations

from datetime import timedelta

from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.game.tick import game_tick
from bitten.services.game.views import rank_view
from factories import add_mission, add_trader
from game_factories import say, tick_deps, xp_rows


def test_a_new_recruit_counts_as_pending_until_their_first_fill(world):
    # Given a referrer's code, started with by a new user (twice: a repeat credits nothing)
    referrer = add_trader(world)
    code = rank_view(referrer.id, world.uow).referral_code
    world.clock.advance(timedelta(minutes=1))
    say(world, 9001, f"/start {code}")
    say(world, 9001, f"/start {code}")
    # Then the referrer has one pending recruit and no rank yet
    rank = rank_view(referrer.id, world.uow)
    assert (rank.rank, rank.active_recruits, rank.pending_recruits) == ("RECRUIT", 0, 1)


def test_a_recruit_whose_first_order_fills_ranks_the_referrer_once(world):
    # Given a recruit enlisted under a referrer
    referrer = add_trader(world)
    world.clock.advance(timedelta(minutes=1))
    say(world, 9002, f"/start {referrer.referral_code}")
    with world.uow() as repos:
        recruit = repos.traders.by_telegram(9002)
    assert recruit is not None and recruit.referred_by == referrer.id
    # When the recruit's first order fills and the game ticks three times
    mission = add_mission(world, recruit)
    request_fire(FireCommand(mission.id, recruit.id, "telegram", "t1"), world.fire_request_deps())
    execute_fire(mission.id, "m1", world.fire_exec_deps())
    deps = tick_deps(world)
    counts = [game_tick(deps)["recruits_active"] for _ in range(3)]
    # Then both earn their XP once and the referrer is a PRIVATE with one active recruit
    assert counts == [1, 0, 0]
    assert xp_rows(world, referrer) == [("recruit_active", 50)]
    assert xp_rows(world, recruit) == [("enlisted", 25)]
    rank = rank_view(referrer.id, world.uow)
    assert (rank.rank, rank.active_recruits, rank.next_rank) == ("PRIVATE", 1, "CORPORAL")
    notice = world.rows("SELECT text FROM game_notices WHERE kind = 'recruit'")
    assert notice[0]["text"].endswith("1 active recruit(s): rank PRIVATE.")
