"""Operator actions as services (issue 13): VENOM setups off and on under the real scan, tiers
granted and revoked, Stars refunds with a reason, broadcasts owed once per recipient; each
one in the audit log with who, why, before and after."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from test_stars import pay, tier_of

from bitten import bootstrap
from bitten.adapters.market_data import CandleReplayFeed, load_folder
from bitten.adapters.sqs import InMemoryMessageQueue
from bitten.config import DEMO_CANDLES
from bitten.domain.operator import UnknownTarget
from bitten.domain.tiers import Tier
from bitten.local.demo.night import busiest_night
from bitten.local.demo.slice import NIGHT_HOURS
from bitten.services.game.dispatch import dispatch_notice
from bitten.services.operator.broadcast import broadcast
from bitten.services.operator.setups import set_setup, setup_switches
from bitten.services.operator.tiers import grant_tier, refund_payment
from bitten.services.scan import scan_signals
from factories import World, add_trader
from game_factories import dispatch_deps

ANA = "trader:ana"


def ops_deps(world: World, **overrides: Any) -> Any:
    """The operators' deps on the world's clock and Telegram; notices to an in-memory queue."""
    overrides.setdefault("notices_queue", InMemoryMessageQueue())
    return bootstrap.build_ops_deps(
        world.settings, clock=world.clock, notifier=world.notifier, **overrides
    )


def audit(world: World) -> list[dict]:
    return world.rows(
        "SELECT actor, action, target, reason, before, after FROM audit_log ORDER BY id"
    )


# -- VENOM setups ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def night():
    """The packaged night, and the minute VENOM's asian_fade fires on USDJPY (69 min in)."""
    candles = load_folder(DEMO_CANDLES)
    return candles, busiest_night(candles, NIGHT_HOURS) + timedelta(minutes=69)


def real_scan(world: World, night) -> list:
    candles, at = night
    world.clock.set(at)
    deps = bootstrap.build_scan_deps(
        world.settings,
        clock=world.clock,
        feed=CandleReplayFeed(candles),
        signals_queue=world.signals_queue,
    )
    return scan_signals(deps)


def test_a_setup_switched_off_emits_nothing_and_on_again_emits_its_signal(world, night):
    # Given operators switched VENOM's asian_fade off
    off = set_setup("asian_fade", False, "spreads too wide tonight", ANA, ops_deps(world))
    assert off.enabled is False
    # When the real scan runs on the minute the setup fires on USDJPY
    # Then no signal is emitted
    assert real_scan(world, night) == []
    # And once switched on again, the same minute emits its signal
    set_setup("asian_fade", True, "spreads back to normal", ANA, ops_deps(world))
    (signal,) = real_scan(world, night)
    assert (signal.pair, signal.engine) == ("USDJPY", "VENOM-v4-earned/asian_fade")
    # And both changes are audited with the setup before and after
    rows = audit(world)
    assert [(r["action"], r["target"], r["reason"]) for r in rows] == [
        ("setup_off", "asian_fade", "spreads too wide tonight"),
        ("setup_on", "asian_fade", "spreads back to normal"),
    ]
    assert (rows[0]["before"]["enabled"], rows[0]["after"]["enabled"]) == (True, False)


def test_setups_are_listed_on_until_switched_and_an_unknown_one_is_refused(world):
    deps = ops_deps(world)
    set_setup("late_fade", False, "not live", ANA, deps)
    listed = {s.name: (s.enabled, s.changed_by) for s in setup_switches(deps)}
    assert listed == {"asian_fade": (True, ""), "late_fade": (False, ANA)}
    with pytest.raises(UnknownTarget, match="no VENOM setup 'dawn_fade'.*asian_fade, late_fade"):
        set_setup("dawn_fade", False, "typo", ANA, deps)
    with pytest.raises(ValueError, match="a reason is required"):
        set_setup("asian_fade", False, "  ", ANA, deps)
    assert len(audit(world)) == 1


# -- tiers and refunds -----------------------------------------------------------------------


def test_a_granted_tier_is_a_window_without_stars_and_revoking_ends_it(world):
    # Given a PRESS PASS trader
    trader = add_trader(world, Tier.PRESS_PASS)
    # When an operator grants FANG for 7 days
    after = grant_tier(trader.id, Tier.FANG, 7, "contest prize", ANA, ops_deps(world))
    # Then the trader is FANG until a week from now, by a window with source operator
    week = world.clock.now() + timedelta(days=7)
    assert (after.tier, after.expires_at) == (Tier.FANG, week)
    assert tier_of(world, trader) == ("FANG", week)
    (window,) = world.rows("SELECT stars, source, refunded_at FROM star_payments")
    assert window == {"stars": 0, "source": "operator", "refunded_at": None}
    # When the grant is revoked (PRESS_PASS)
    revoked = grant_tier(trader.id, Tier.PRESS_PASS, 0, "prize withdrawn", ANA, ops_deps(world))
    # Then the trader is back on PRESS PASS, and both actions are audited before/after
    assert revoked.tier == Tier.PRESS_PASS and tier_of(world, trader) == ("PRESS_PASS", None)
    rows = audit(world)
    assert [(r["action"], r["before"]["tier"], r["after"]["tier"]) for r in rows] == [
        ("grant_tier", "PRESS_PASS", "FANG"),
        ("revoke_tier", "FANG", "PRESS_PASS"),
    ]
    assert rows[0]["target"] == str(trader.id) and rows[0]["after"]["days"] == 7


def test_revoking_keeps_a_tier_the_trader_paid_for(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader, "stx-n", Tier.NIBBLER, 250)
    grant_tier(trader.id, Tier.COMMANDER, 30, "vip", ANA, ops_deps(world))
    after = grant_tier(trader.id, Tier.PRESS_PASS, 0, "vip ended", ANA, ops_deps(world))
    assert after.tier == Tier.NIBBLER and tier_of(world, trader)[0] == "NIBBLER"


def test_a_grant_to_no_trader_or_for_no_days_is_refused_and_writes_nothing(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    with pytest.raises(UnknownTarget):
        grant_tier(uuid4(), Tier.FANG, 7, "prize", ANA, ops_deps(world))
    with pytest.raises(ValueError, match="days must be 1 to 366"):
        grant_tier(trader.id, Tier.FANG, 0, "prize", ANA, ops_deps(world))
    assert audit(world) == [] and world.rows("SELECT 1 FROM star_payments") == []


def test_an_operator_refund_is_audited_with_its_reason(world):
    # Given a trader who paid 750 Stars for FANG
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader, "stx-7")
    # When an operator refunds it with a reason
    assert refund_payment("stx-7", "double charge", ANA, ops_deps(world)) == "refunded"
    # Then Telegram refunded it, the tier reverted, and the audit row says why
    assert world.notifier.refunds == [(trader.telegram_id, "stx-7")]
    assert tier_of(world, trader) == ("PRESS_PASS", None)
    (row,) = audit(world)
    assert (row["action"], row["target"], row["reason"]) == ("refund", "stx-7", "double charge")
    assert (row["before"]["tier"], row["before"]["stars"], row["after"]["tier"]) == (
        "FANG",
        750,
        "PRESS_PASS",
    )
    # And a second refund, or one of a granted window, changes nothing
    assert refund_payment("stx-7", "again", ANA, ops_deps(world)) == "already"
    grant_tier(trader.id, Tier.FANG, 3, "sorry", ANA, ops_deps(world))
    (grant,) = world.rows("SELECT charge_id FROM star_payments WHERE source = 'operator'")
    assert refund_payment(grant["charge_id"], "x", ANA, ops_deps(world)) == "not_stars"
    assert refund_payment("stx-none", "x", ANA, ops_deps(world)) == "unknown"
    assert [r["action"] for r in audit(world)] == ["refund", "grant_tier"]


# -- broadcasts ------------------------------------------------------------------------------


def notice_ids(queue: InMemoryMessageQueue) -> list[UUID]:
    return [UUID(b["notice_id"]) for b in queue.bodies]


def test_a_broadcast_to_one_tier_owes_each_of_its_traders_one_message(world):
    # Given two FANG traders and one NIBBLER
    fangs = [add_trader(world, Tier.FANG) for _ in range(2)]
    nibbler = add_trader(world, Tier.NIBBLER)
    queue = InMemoryMessageQueue()
    # When an operator broadcasts to FANG
    sent = broadcast(
        "Maintenance at 22:00 UTC", Tier.FANG, "planned", ANA, ops_deps(world, notices_queue=queue)
    )
    # Then two notices were handed to the game queue, and game_dispatch sends each once
    assert sent.recipients == 2 and len(queue.bodies) == 2
    outcomes = [dispatch_notice(n, dispatch_deps(world)) for n in notice_ids(queue) * 2]
    assert sorted(outcomes) == ["already_handled"] * 2 + ["sent"] * 2
    for trader in fangs:
        (message,) = world.notifier.messages_to(trader.telegram_id)
        assert message["text"] == "Maintenance at 22:00 UTC"
    assert world.notifier.messages_to(nibbler.telegram_id) == []
    # And the audit row names the tier, the reason and the recipients
    (row,) = audit(world)
    assert (row["action"], row["target"], row["reason"]) == ("broadcast", "FANG", "planned")
    assert row["after"]["recipients"] == 2 and row["after"]["id"] == str(sent.id)


def test_a_broadcast_to_all_reaches_every_tier_and_bad_text_is_refused(world):
    traders = [add_trader(world, tier) for tier in Tier]
    sent = broadcast("Hello all", None, "welcome", ANA, ops_deps(world))
    assert sent.recipients == len(traders)
    assert audit(world)[0]["target"] == "all"
    with pytest.raises(ValueError, match="no text"):
        broadcast("  ", None, "x", ANA, ops_deps(world))
    with pytest.raises(ValueError, match="Telegram takes 4096"):
        broadcast("x" * 4097, None, "x", ANA, ops_deps(world))
    assert len(world.rows("SELECT 1 FROM broadcasts")) == 1


# -- bitten ops ------------------------------------------------------------------------------


def test_bitten_ops_switches_a_setup_and_grants_a_tier_audited(world, monkeypatch, capsys):
    from bitten.cli import main

    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    trader = add_trader(world, Tier.PRESS_PASS)
    # When an operator switches late_fade off and grants FANG from the shell
    assert main(["ops", "setup", "off", "late_fade", "--reason", "not live", "--by", "ana"]) == 0
    assert json.loads(capsys.readouterr().out)["enabled"] is False
    grant = ["ops", "grant-tier", str(trader.id), "--tier", "FANG", "--days", "7"]
    assert main([*grant, "--reason", "prize", "--by", "ana"]) == 0
    assert json.loads(capsys.readouterr().out)["tier"] == "FANG"
    # Then both are audited as ana's, and an unknown setup is refused in words
    assert [(r["actor"], r["action"]) for r in audit(world)] == [
        ("ana", "setup_off"),
        ("ana", "grant_tier"),
    ]
    assert main(["ops", "setup", "on", "dawn_fade", "--reason", "x"]) == 2
    assert "no VENOM setup 'dawn_fade'" in capsys.readouterr().err
