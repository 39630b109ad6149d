"""Tactical plans at FIRE (issue 12): each refusal says which rule, nothing is half-written."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from bitten.domain.game.plans import PlanLocked, PlanViolation
from bitten.domain.tiers import Tier
from bitten.services.fanout import fan_out_missions
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.game.plans import choose_plan
from bitten.services.game.shop import buy
from factories import T0, add_mission, add_trader, make_signal, store_signal
from game_factories import grant_xp, set_zone


def fire(world, mission, key: str | None = None) -> None:
    cmd = FireCommand(mission.id, mission.trader_id, "telegram", key or f"tap-{mission.id}")
    request_fire(cmd, world.fire_request_deps())


def missions(world, trader, n: int, **signal):
    """`n` open missions for the trader, each on its own signal a minute apart."""
    out = []
    for i in range(n):
        at = world.clock.now() + timedelta(seconds=i)
        out.append(
            add_mission(world, trader, store_signal(world, make_signal(created_at=at, **signal)))
        )
    return out


def hop_count(world, hop: str) -> int:
    return len(world.rows("SELECT 1 FROM trace_events WHERE hop = %s", hop))


def test_first_blood_refuses_the_fifth_shot_of_the_day_and_says_so(world):
    # Given a COMMANDER on FIRST_BLOOD (4 shots a day) who fired four missions today
    trader = add_trader(world, tier=Tier.COMMANDER)
    grant_xp(world, trader, 120)
    choose_plan(trader.id, "first_blood", world.fire_request_deps())
    *four, fifth = missions(world, trader, 5)
    for m in four:
        fire(world, m)
    # When the fifth FIRE comes in
    with pytest.raises(PlanViolation) as refused:
        fire(world, fifth)
    # Then it is refused with the plan's count, the mission stays open, the refusal is traced
    assert str(refused.value).startswith("FIRST_BLOOD: 4 of 4 shots used today")
    assert world.rows("SELECT status FROM missions WHERE id = %s", fifth.id) == [{"status": "open"}]
    assert world.rows(
        "SELECT detail->>'code' AS code FROM trace_events WHERE hop = 'fire_refused'"
    ) == [{"code": "plan"}]
    assert len(world.fires_queue.bodies) == 4


def test_lone_wolf_refuses_a_setup_below_its_confidence_bar(world):
    # Given a new trader (LONE_WOLF: confidence 55%+) and a 50% confidence signal
    trader = add_trader(world)
    (weak,) = missions(world, trader, 1)
    world.rows("UPDATE signals SET confidence = 50 RETURNING id")
    # When FIRE is tapped / Then the plan names the bar
    with pytest.raises(PlanViolation, match="LONE_WOLF: confidence 50% is below the plan's 55%"):
        fire(world, weak)
    assert world.fires_queue.bodies == []


def test_tactical_command_refuses_a_shield_below_seven(world):
    trader = add_trader(world, tier=Tier.COMMANDER)
    grant_xp(world, trader, 360)
    choose_plan(trader.id, "TACTICAL_COMMAND", world.fire_request_deps())
    (m,) = missions(world, trader, 1)
    world.rows("UPDATE signals SET shield_score = 6.5 RETURNING id")
    with pytest.raises(PlanViolation, match="TACTICAL_COMMAND: shield 6.5 is below .* 7.0"):
        fire(world, m)


def test_a_held_extra_shot_is_spent_when_the_budget_is_used_up(world):
    # Given a LONE_WOLF (2 shots) who bought an extra shot and has three missions
    trader = add_trader(world, tier=Tier.COMMANDER)
    grant_xp(world, trader, 100)
    buy(trader.id, "extra_shot", "key-1", world.fire_request_deps())
    ms = missions(world, trader, 4)
    # When they fire three / Then the third uses the extra shot and a fourth is refused at 3 of 3
    for m in ms[:3]:
        fire(world, m)
    with pytest.raises(PlanViolation, match="LONE_WOLF: 3 of 3 shots used today"):
        fire(world, ms[3])
    assert world.rows("SELECT quantity FROM inventory") == [{"quantity": 0}]


def test_the_shot_budget_resets_with_the_18h_drill_in_the_traders_zone(world):
    # Given a LONE_WOLF in Tokyo (18:00 JST = 09:00 UTC) who used both shots before 09:00 UTC
    trader = add_trader(world, tier=Tier.COMMANDER)
    set_zone(world, trader, "Asia/Tokyo")
    world.clock.set(T0 - timedelta(hours=1, minutes=10))  # 08:50 UTC = 17:50 JST
    for m in missions(world, trader, 2):
        fire(world, m)
    # When a mission comes after 18:00 JST (a new trading day)
    world.clock.set(T0)
    (late,) = missions(world, trader, 1)
    fire(world, late)
    # Then it is accepted
    assert len(world.fires_queue.bodies) == 3


def test_two_concurrent_fires_cannot_both_take_the_last_shot(world):
    # Given a LONE_WOLF with one shot left and two open missions
    trader = add_trader(world, tier=Tier.COMMANDER)
    first, a, b = missions(world, trader, 3)
    fire(world, first)
    start, outcomes = threading.Barrier(2), []

    def tap(mission) -> None:
        start.wait()
        try:
            fire(world, mission)
            outcomes.append("fired")
        except PlanViolation:
            outcomes.append("refused")

    threads = [threading.Thread(target=tap, args=(m,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one gets through
    assert sorted(outcomes) == ["fired", "refused"]
    statuses = world.rows("SELECT status FROM missions WHERE id IN (%s, %s)", a.id, b.id)
    assert sorted(r["status"] for r in statuses) == ["fire_requested", "open"]


def test_a_locked_plan_names_the_xp_still_missing(world):
    trader = add_trader(world)
    grant_xp(world, trader, 100)
    with pytest.raises(PlanLocked, match="DOUBLE_TAP unlocks at 240 XP earned; you have 100"):
        choose_plan(trader.id, "double_tap", world.fire_request_deps())


def test_a_plan_picked_after_a_shot_takes_effect_tomorrow(world):
    # Given a trader who already fired today
    trader = add_trader(world, tier=Tier.COMMANDER)
    grant_xp(world, trader, 120)
    fire(world, missions(world, trader, 1)[0])
    # When they switch to FIRST_BLOOD
    choice = choose_plan(trader.id, "FIRST_BLOOD", world.fire_request_deps())
    # Then it starts tomorrow (UTC zone: the day after 2024-01-08's 18:00 drill)
    assert (choice.immediate, choice.effective_day) == (False, "2024-01-09")


def test_fanout_sizes_each_shot_at_the_plans_share_of_the_risk(world):
    # Given a DOUBLE_TAP trader (each shot risks half of the 2%) with 10,000
    trader = add_trader(world, balance="10000")
    grant_xp(world, trader, 240)
    choose_plan(trader.id, "DOUBLE_TAP", world.fire_request_deps())
    signal = store_signal(world)
    # When a 10 pip EURUSD signal fans out
    fan_out_missions(signal.id, world.fanout_deps())
    # Then the mission risks 1% (100) for 1.00 lot instead of 2% for 2.00
    assert world.rows("SELECT risk_amount, lots FROM missions") == [
        {"risk_amount": Decimal("100"), "lots": Decimal("1")}
    ]


def test_the_live_resize_at_fire_keeps_the_plans_share(world):
    # Given a DOUBLE_TAP trader's mission sized at half the 2% of 10,000 (1.00 lot), then a
    # 2,500 loss before the FIRE
    from bitten.services.fire_execution import execute_fire

    trader = add_trader(world, balance="10000")
    grant_xp(world, trader, 240)
    choose_plan(trader.id, "DOUBLE_TAP", world.fire_request_deps())
    mission = add_mission(world, trader, lots="1.00")
    world.broker.book.adjust_balance(trader.broker_login, Decimal("-2500"))
    fire(world, mission)
    # When it executes / Then the order risks half the 2% of 7,500: 0.75 lots
    assert execute_fire(mission.id, "m1", world.fire_exec_deps()) == "filled"
    assert world.broker.sent[0][1].volume == Decimal("0.75")


def test_the_alert_shows_the_plan_line(world):
    from bitten.services.alerts import dispatch_alert

    trader = add_trader(world)
    (m,) = missions(world, trader, 1)
    dispatch_alert(m.id, world.alert_deps())
    (alert,) = world.notifier.messages_to(trader.telegram_id)
    assert alert["text"].endswith(
        "Plan LONE_WOLF: this is shot 1 of 2 today at 100% of the standard risk"
    )
