"""Referrals (issue 12): /start CODE enlists a new recruit once; active recruits rank you."""

from __future__ import annotations

from datetime import timedelta

from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.game.tick import game_tick
from bitten.services.game.views import rank_view
from factories import add_mission, add_trader
from game_factories import last_text, say, tick_deps, xp_rows


def code_of(world, trader) -> str:
    return rank_view(trader.id, world.uow).start_payload


def test_a_recruit_enlists_once_and_a_repeated_start_never_recredits(world):
    # Given a referrer's invite code
    referrer = add_trader(world)
    payload = code_of(world, referrer)
    # When a new user starts the bot with it, then sends the same /start again
    world.clock.advance(timedelta(minutes=1))
    say(world, 9001, f"/start {payload}")
    say(world, 9001, f"/start {payload}")
    # Then they are enlisted once, the referrer was told once, the repeat is refused
    assert last_text(world, 9001) == (
        "Referral not applied: you already enlisted with a referral code; it cannot change"
    )
    told = [m for m in world.notifier.messages_to(referrer.telegram_id) if "recruit" in m["text"]]
    assert len(told) == 1
    rank = rank_view(referrer.id, world.uow)
    assert (rank.rank, rank.active_recruits, rank.pending_recruits) == ("RECRUIT", 0, 1)


def test_your_own_code_is_refused(world):
    say(world, 9100, "/start")
    with world.uow() as repos:
        me = repos.traders.by_telegram(9100)
    say(world, 9100, f"/start {code_of(world, me)}")
    assert last_text(world, 9100) == (
        "Referral not applied: that is your own code: invite someone else with it"
    )


def test_a_trader_who_already_fired_cannot_be_recruited(world):
    veteran = add_trader(world)
    mission = add_mission(world, veteran)
    request_fire(FireCommand(mission.id, veteran.id, "telegram", "t1"), world.fire_request_deps())
    world.clock.advance(timedelta(minutes=1))
    late_referrer = add_trader(world)
    say(world, veteran.telegram_id, f"/start {code_of(world, late_referrer)}")
    assert "new recruits only" in last_text(world, veteran.telegram_id)


def test_codes_of_traders_who_joined_later_are_refused_so_no_cycles(world):
    early = add_trader(world)
    world.clock.advance(timedelta(minutes=1))
    late = add_trader(world)
    say(world, early.telegram_id, f"/start {code_of(world, late)}")
    assert "joined after you" in last_text(world, early.telegram_id)


def test_an_unknown_code_is_refused(world):
    say(world, 9200, "/start ref-AAAAAAAAAA")
    assert last_text(world, 9200) == "Referral not applied: no trader has the code AAAAAAAAAA"


def test_a_recruit_whose_first_order_fills_ranks_the_referrer_once(world):
    # Given a recruit enlisted under a referrer
    referrer = add_trader(world)
    world.clock.advance(timedelta(minutes=1))
    recruit = add_trader(world)
    say(world, recruit.telegram_id, f"/start {code_of(world, referrer)}")
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
