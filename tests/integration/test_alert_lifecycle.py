"""One message per mission: the alert a trader can act on, edited in place as it moves."""

from __future__ import annotations

from datetime import timedelta

from bitten.adapters.telegram import NotifierError
from bitten.domain.broker import RETCODE_REJECT
from bitten.services.alerts import dispatch_alerts
from bitten.services.mission_updates import refresh_lagging_cards, show_mission
from bitten.services.positions import record_rejection
from factories import (
    add_mission,
    add_trader,
    alerted_mission,
    close_trade,
    fire_mission,
    make_signal,
    store_signal,
)


def card(world, trader, mission_id=None) -> dict:
    """The alert as the trader sees it now: the sent message with its latest edit applied."""
    (alert,) = [m for m in world.notifier.messages_to(trader.telegram_id) if m["buttons"]][:1]
    edits = world.notifier.edits_of(trader.telegram_id, alert["message_id"])
    return {**alert, **edits[-1]} if edits else alert


def test_the_alert_says_everything_needed_to_act_at_the_pairs_digits(world):
    # Given a USDJPY sell mission for a USD account
    signal = store_signal(world, make_signal("USDJPY", "sell", entry="112.845"))
    trader = add_trader(world)
    mission = alerted_mission(world, trader, signal=signal, lots="0.13")
    text = card(world, trader)["text"]
    # Then prices are at 3 digits, stops in price and pips, risk in money and percent
    assert "🎯 <b>MISSION · USDJPY SELL</b>" in text
    assert "Entry ~112.845 · <b>0.13 lots</b>" in text
    assert "Stop 112.945 (10.0 pips) · Target 112.645 (20.0 pips)" in text
    assert "Risk $200.00 (2.00% of $10,000.00)" in text
    held = "held at 1.0 until CITADEL is proven"
    assert f"🛡 CITADEL 7.0/10 SOLID · x1.00 risk: {held}\n  • trend: with the H4 trend" in text
    assert "Confidence 70%" in text and "⏳ Expires 10:10 UTC (10m 00s left)" in text
    assert "112.845000" not in text
    # And it has FIRE and a Mini App HUD button whose link carries no token
    fire, hud = card(world, trader)["buttons"][0]
    assert fire.callback_data == f"fire:{mission.id}"
    assert hud.web_app_url == f"http://hud.test/hud?mission={mission.id}" and hud.url is None


def test_an_alert_that_would_arrive_after_its_mission_expired_is_not_sent(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    world.clock.advance(timedelta(minutes=10))
    assert dispatch_alerts([mission.id], world.alert_deps()) == {mission.id: "expired"}
    assert world.notifier.messages_to(trader.telegram_id) == []
    assert world.rows("SELECT skipped, message_id FROM alerts") == [
        {"skipped": "expired", "message_id": None}
    ]
    # and a redelivery does not try again
    assert dispatch_alerts([mission.id], world.alert_deps()) == {mission.id: "already_sent"}


def test_fire_then_fill_edit_the_same_message_and_the_fill_pings_once(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    alert_id = card(world, trader)["message_id"]
    # When the trader fires and the broker fills
    assert fire_mission(world, mission) == "filled"
    # Then the alert now shows the fill with its slippage, only a HUD button left
    shown = card(world, trader)
    assert shown["message_id"] == alert_id
    assert "✅ <b>FILLED · EURUSD BUY</b> 0.10 lots @ 1.10010" in shown["text"]
    assert "Slippage +1.0 pips · ticket #" in shown["text"]
    assert [b.text for b in shown["buttons"][0]] == ["HUD"]
    # And one short notification replies to the alert
    (notice,) = [m for m in world.notifier.messages_to(trader.telegram_id) if m["reply_to"]]
    assert notice["reply_to"] == alert_id and notice["text"].startswith("✅ <b>FILLED")
    assert show_mission(mission.id, world.sync_deps()) == "unchanged"  # shown again: nothing new


def test_a_close_edits_the_alert_with_pips_and_money_and_pings(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    fire_mission(world, mission)
    close_trade(world, mission, "1.09900", reason="sl", profit="-21.60")
    shown = card(world, trader)
    assert "🛑 <b>CLOSED · EURUSD BUY</b> @ 1.09900" in shown["text"]
    assert "Stopped out · -11.0 pips · -$21.60" in shown["text"]
    notices = [m["text"] for m in world.notifier.messages_to(trader.telegram_id) if m["reply_to"]]
    assert len(notices) == 2 and notices[-1].startswith("🛑 <b>CLOSED")


def test_a_refused_order_shows_the_reason_on_the_alert(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    world.broker.inject_fault("reject")
    assert fire_mission(world, mission) == "rejected"
    shown = card(world, trader)
    assert "⛔ <b>NOT EXECUTED · EURUSD BUY</b>" in shown["text"]
    assert "injected fault" in shown["text"] and shown["buttons"] is None


def test_an_expired_alert_is_caught_up_by_the_upkeep(world):
    trader = add_trader(world)
    alerted_mission(world, trader)
    world.clock.advance(timedelta(minutes=11))
    assert refresh_lagging_cards(world.sync_deps()) == 1
    shown = card(world, trader)
    assert shown["text"].startswith("⌛ <b>EXPIRED · EURUSD BUY</b>") and shown["buttons"] is None
    assert refresh_lagging_cards(world.sync_deps()) == 0


def test_a_card_left_behind_by_busy_lanes_is_caught_up_later(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    world.notifier.fail_next(NotifierError("editMessageText", "deferred", retryable=True))
    fire_mission(world, mission)  # the fill could not be shown
    assert "MISSION" in card(world, trader)["text"]
    assert refresh_lagging_cards(world.sync_deps()) == 1
    assert "FILLED" in card(world, trader)["text"]


def test_rejection_of_a_mission_without_an_alert_is_told_as_a_message(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    from bitten.domain.broker import OrderResult
    from bitten.services.fire_request import FireCommand, request_fire

    request_fire(FireCommand(mission.id, trader.id, "hud", "k"), world.fire_request_deps())
    result = OrderResult(
        retcode=RETCODE_REJECT, retcode_text="Request rejected", client_id=str(mission.id)
    )
    record_rejection(mission.id, result, None, world.fire_exec_deps())
    (told,) = world.notifier.messages_to(trader.telegram_id)
    assert told["text"] == "Order not executed: Request rejected"


def test_paid_broadcast_marks_personal_alerts_not_the_group_one(world, settings):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    deps = world.alert_deps()
    deps.paid_broadcast = True
    dispatch_alerts([mission.id], deps)
    (personal,) = world.notifier.messages_to(trader.telegram_id)
    (group,) = world.notifier.messages_to(settings.telegram_group_chat_id)
    assert (personal["paid"], group["paid"]) == (True, False)


def test_flood_control_puts_the_alert_back_on_the_queue_with_a_delay(world):
    # Given the signal's group alert and a first personal alert are out
    signal = store_signal(world)
    deps = world.alert_deps()
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], deps)
    # When Telegram's flood control outlasts what the notifier waits for the next alert
    mission = add_mission(world, add_trader(world), signal)
    world.notifier.fail_next(NotifierError("sendMessage", "Too Many Requests", retry_after=40))
    # Then the alert goes back on the queue with a delay: not failed, never a dead letter
    assert dispatch_alerts([mission.id], deps) == {mission.id: "requeued"}
    assert world.alerts_queue.bodies == [{"mission_id": str(mission.id)}]
    assert world.alerts_queue.messages[0].delay_seconds == 5


def test_a_trader_who_blocked_the_bot_is_skipped_not_retried(world):
    signal = store_signal(world)
    deps = world.alert_deps()
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], deps)
    mission = add_mission(world, add_trader(world), signal)
    world.notifier.fail_next(NotifierError("sendMessage", "Forbidden: blocked", blocked=True))
    assert dispatch_alerts([mission.id], deps) == {mission.id: "blocked"}
    assert dispatch_alerts([mission.id], deps) == {mission.id: "already_sent"}
    assert world.alerts_queue.bodies == []


def test_a_group_alert_that_failed_is_sent_by_the_next_batch(world, settings):
    signal = store_signal(world)
    deps = world.alert_deps()
    world.notifier.fail_next(NotifierError("sendMessage", "Bad Gateway", retryable=True))
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], deps)
    assert world.notifier.messages_to(settings.telegram_group_chat_id) == []
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], deps)
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], deps)
    assert len(world.notifier.messages_to(settings.telegram_group_chat_id)) == 1


def test_a_group_claim_left_unsent_is_taken_over_after_a_minute(world, settings):
    # Given a dispatcher that claimed the group alert and died before sending it
    signal = store_signal(world)
    with world.uow() as repos:
        assert repos.alerts.claim_group(
            signal.id, settings.telegram_group_chat_id, world.clock.now()
        )
    dispatch_alerts([add_mission(world, add_trader(world), signal).id], world.alert_deps())
    assert world.notifier.messages_to(settings.telegram_group_chat_id) == []  # still its claim
    # When a batch of the same signal comes a minute later
    world.clock.advance(timedelta(seconds=61))
    signal_late = add_mission(world, add_trader(world), signal)
    dispatch_alerts([signal_late.id], world.alert_deps())
    # Then the group alert goes (the mission itself expired meanwhile or not, the group is sent)
    assert len(world.notifier.messages_to(settings.telegram_group_chat_id)) == 1
