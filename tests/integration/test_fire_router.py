"""The FireRouter's checks at FIRE and the safe re-sends, against the paper book and Postgres."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from bitten import bootstrap
from bitten.domain.switches import FiringPaused, Switch
from bitten.domain.tiers import Tier
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.ops import set_switch
from bitten.strategy.candles import Candles
from factories import T0, World, add_mission, add_trader, candles, make_world, market

ATTEMPT = iter(range(1, 10_000))


def fire(world: World, mission) -> int:
    cmd = FireCommand(mission.id, mission.trader_id, "hud", f"key-{next(ATTEMPT)}")
    return request_fire(cmd, world.fire_request_deps())


def execute(world: World, mission, attempt: int = 1, sleeps: list | None = None) -> str:
    deps = world.fire_exec_deps()
    deps.sleep = (sleeps if sleeps is not None else []).append
    return execute_fire(mission.id, f"msg-{attempt}", deps, attempt)


def mission_row(world: World, mission) -> dict:
    (row,) = world.rows(
        "SELECT status, status_reason, fire_attempts FROM missions WHERE id = %s", mission.id
    )
    return row


def hop_details(world: World, hop: str) -> list[dict]:
    return [r["detail"] for r in world.rows("SELECT detail FROM trace_events WHERE hop = %s", hop)]


def last_message(world: World, trader) -> str:
    return world.notifier.messages_to(trader.telegram_id)[-1]["text"]


def pause_firing(world: World, paused: bool = True, reason: str = "broker incident") -> None:
    set_switch(Switch.FIRING, paused, reason, "test:ops", bootstrap.build_ops_deps(world.settings))


# -- terminal online -------------------------------------------------------------------------


def test_an_offline_terminal_refuses_the_fire_and_the_mission_stays_fireable(world):
    # Given a fired mission whose trader's terminal went offline after the tap
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.book.set_terminal(trader.broker_login, connected=False)
    # When the fire executes
    assert execute(world, mission) == "released"
    # Then nothing was sent, the mission is open again and the trader knows why
    assert world.broker.sent == []
    assert mission_row(world, mission) == {
        "status": "open",
        "status_reason": "your MT5 terminal is offline; try again",
        "fire_attempts": 1,
    }
    assert last_message(world, trader).startswith("Nothing was sent: your MT5 terminal is offline")
    assert [d["code"] for d in hop_details(world, "fire_released")] == ["terminal_offline"]
    # And once the terminal is back, the next FIRE fills
    world.broker.book.set_terminal(trader.broker_login, connected=True)
    assert execute(world, mission, attempt=fire(world, mission)) == "filled"
    assert len(world.broker.book.orders()) == 1


def test_autotrading_switched_off_in_the_terminal_refuses_the_fire(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.book.set_terminal(trader.broker_login, autotrading=False)
    assert execute(world, mission) == "released"
    assert "AutoTrading is switched off" in mission_row(world, mission)["status_reason"]


# -- re-size from the live account -------------------------------------------------------------


def test_a_balance_lost_since_the_alert_resizes_the_order_down(world):
    # Given a mission sized for 10,000 (2% over 10 pips = 2.00 lots), then a 2,500 loss
    trader = add_trader(world, balance="10000")
    mission = add_mission(world, trader, lots="2.00")
    world.broker.book.adjust_balance(trader.broker_login, Decimal("-2500"))
    fire(world, mission)
    # When it executes, the order risks 2% of 7,500: 1.50 lots
    assert execute(world, mission) == "filled"
    (_, order) = world.broker.sent[0]
    assert order.volume == Decimal("1.50")
    assert hop_details(world, "fire_resized") == [{"planned": "2.00", "lots": "1.50"}]
    assert world.rows("SELECT volume FROM positions") == [{"volume": Decimal("1.50")}]


def test_a_balance_grown_since_the_alert_never_sizes_above_the_mission(world):
    trader = add_trader(world, balance="10000")
    mission = add_mission(world, trader, lots="2.00")
    world.broker.book.adjust_balance(trader.broker_login, Decimal("40000"))
    fire(world, mission)
    assert execute(world, mission) == "filled"
    assert world.broker.sent[0][1].volume == Decimal("2.00")
    assert hop_details(world, "fire_resized") == []


def test_a_balance_too_small_for_the_minimum_volume_is_rejected_with_the_reason(world):
    trader = add_trader(world, balance="10000")
    mission = add_mission(world, trader)
    world.broker.book.adjust_balance(trader.broker_login, Decimal("-9996"))
    fire(world, mission)
    assert execute(world, mission) == "rejected"
    assert world.broker.sent == []
    row = mission_row(world, mission)
    assert row["status"] == "rejected" and "below the 0.01 minimum" in row["status_reason"]
    assert last_message(world, trader).startswith("FIRE refused: at today's balance risking 0.08")


def test_free_margin_caps_the_lots(settings):
    # Given a 1:10 account with 10,000: 2.00 EURUSD lots need 22,001.60 of margin
    world = make_world(settings)
    account = world.broker.book.add_account(Decimal("10000"), demo=True, leverage=10)
    trader = add_trader(world)
    with world.uow() as repos:
        repos.traders.link_account(trader.id, account.login, True, "USD", T0)
    mission = add_mission(world, trader, lots="2.00")
    fire(world, mission)
    # When it executes, the lots are what 10,000 of free margin holds: 0.90 (11,000.80 each)
    assert execute(world, mission) == "filled"
    assert world.broker.sent[0][1].volume == Decimal("0.90")


# -- price ran away ----------------------------------------------------------------------------


def stepped(pair: str, before: float, after: float) -> Candles:
    """Quiet bars at `before` until T0, then at `after`."""
    c = candles(pair, before)
    close = np.where(c.time >= int(T0.timestamp()), after, before)
    return Candles(pair, c.time, close, close.copy(), close.copy(), close)


@pytest.mark.parametrize(
    ("now_price", "why"),
    [
        (
            1.10110,
            "price already ran 12.0 of the 20.0 pips to the target (entry 1.10000, now 1.10120)",
        ),  # ask 1.10120 (EURUSD spread 1.0 pip)
        (1.09890, "through its 10.0-pip stop (entry 1.10000, now 1.09900)"),
    ],
)
def test_a_price_that_ran_away_expires_the_mission_and_says_why(settings, now_price, why):
    # Given a buy at 1.10000 (stop 10, target 20 pips) and a market that moved before FIRE
    world = make_world(settings, {**market(), "EURUSD": stepped("EURUSD", 1.1, now_price)})
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.clock.advance(timedelta(minutes=2))
    # When it executes
    assert execute(world, mission) == "expired"
    # Then nothing was sent and the mission expired with the reason
    assert world.broker.sent == []
    row = mission_row(world, mission)
    assert row["status"] == "expired" and why in row["status_reason"]
    assert why in last_message(world, trader)


# -- tier at execution -------------------------------------------------------------------------


def test_press_pass_on_an_account_the_broker_says_is_live_is_rejected(world):
    trader = add_trader(world, Tier.PRESS_PASS, demo=True)
    live = world.broker.book.add_account(Decimal("10000"), demo=False)
    with world.uow() as repos:  # our record still says demo
        repos.traders.link_account(trader.id, live.login, True, "USD", T0)
    mission = add_mission(world, trader)
    fire(world, mission)
    assert execute(world, mission) == "rejected"
    assert (
        mission_row(world, mission)["status_reason"] == "PRESS PASS trades on a demo account only"
    )


# -- kill switch -------------------------------------------------------------------------------


def test_paused_firing_refuses_the_tap_with_the_operators_reason(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    pause_firing(world)
    with pytest.raises(FiringPaused, match="firing paused by operators: broker incident"):
        fire(world, mission)
    assert world.fires_queue.bodies == [] and mission_row(world, mission)["status"] == "open"
    assert [d["code"] for d in hop_details(world, "fire_refused")] == ["paused"]


def test_a_fire_queued_before_the_pause_is_handed_back_unsent(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    pause_firing(world)
    assert execute(world, mission) == "released"
    assert world.broker.sent == [] and mission_row(world, mission)["status"] == "open"
    assert "firing paused by operators: broker incident" in last_message(world, trader)
    # After the resume, the trader fires again and it fills
    pause_firing(world, paused=False, reason="incident over")
    assert execute(world, mission, attempt=fire(world, mission)) == "filled"


# -- safe re-sends -----------------------------------------------------------------------------


def test_requotes_are_resent_repriced_within_the_policy_then_fill(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.inject_fault("requote", count=2)
    sleeps: list[float] = []
    # When the broker requotes twice
    assert execute(world, mission, sleeps=sleeps) == "filled"
    # Then the order went out three times with the same client id, after 0.1 s and 0.3 s
    assert sleeps == [0.1, 0.3]
    assert len({o.client_id for _, o in world.broker.sent}) == 1 and len(world.broker.sent) == 3
    assert len(world.broker.book.orders()) == 1 and len(hop_details(world, "order_retry")) == 2


def test_requotes_beyond_the_policy_hand_the_mission_back(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.inject_fault("requote", count=4)
    assert execute(world, mission) == "released"
    assert len(world.broker.sent) == 4 and world.broker.book.orders() == []
    assert mission_row(world, mission)["status"] == "open"
    assert "Requote: injected fault (nothing was executed)" in last_message(world, trader)


def test_a_429_waits_its_retry_after_then_sends_again(world):
    mission = add_mission(world, add_trader(world))
    fire(world, mission)
    world.broker.inject_fault("busy", delay=0.5)
    sleeps: list[float] = []
    assert execute(world, mission, sleeps=sleeps) == "filled"
    assert sleeps == [0.5] and len(world.broker.sent) == 2


def test_a_429_asking_longer_than_the_policy_allows_hands_back_without_waiting(world):
    mission = add_mission(world, add_trader(world))
    fire(world, mission)
    world.broker.inject_fault("busy", delay=30)
    sleeps: list[float] = []
    assert execute(world, mission, sleeps=sleeps) == "released"
    assert sleeps == [] and mission_row(world, mission)["status"] == "open"


@pytest.mark.parametrize("mode", ["drop_after_execute", "reject"])
def test_no_resend_after_an_unknown_outcome_or_a_refusal(world, mode):
    mission = add_mission(world, add_trader(world))
    fire(world, mission)
    world.broker.inject_fault(mode)
    execute(world, mission)
    assert len(world.broker.sent) == 1
