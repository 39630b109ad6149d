"""The game's outbox (issue 12): each drill report and announcement reaches Telegram once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from bitten.adapters.telegram import NotifierError
from bitten.domain.pacing import Priority
from bitten.services.bot.updates import handle_update
from bitten.services.game.dispatch import NoticeDeferred, dispatch_notice
from bitten.services.game.tick import game_tick, relay_notices
from factories import add_trader
from game_factories import dispatch_deps, tick_deps

SIX_PM = datetime(2024, 1, 8, 18, 0, tzinfo=UTC)


def due_drill(world):
    """A trader whose 18:00 UTC drill was just written; returns (trader, notice id, tick deps)."""
    trader = add_trader(world)
    world.clock.set(SIX_PM)
    deps = tick_deps(world)
    game_tick(deps)
    (body,) = deps.notices_queue.bodies
    return trader, UUID(body["notice_id"]), deps


def test_a_notice_delivered_twice_is_sent_once_with_its_debrief_button(world):
    # Given a drill notice on the queue
    trader, notice_id, _ = due_drill(world)
    # When the queue delivers it twice
    outcomes = [dispatch_notice(notice_id, dispatch_deps(world)) for _ in range(2)]
    # Then Telegram gets one message, paced as a broadcast, with the Debrief button for that day
    assert outcomes == ["sent", "already_handled"]
    (message,) = world.notifier.messages_to(trader.telegram_id)
    assert message["text"].startswith("DRILL REPORT Mon 08 Jan 2024 (18:00 UTC)")
    assert message["buttons"][0][0].callback_data == "drill:2024-01-08"
    assert message["priority"] == Priority.BROADCAST
    assert world.rows("SELECT status, message_id FROM game_notices") == [
        {"status": "sent", "message_id": 1}
    ]


def test_flood_control_puts_the_notice_back_for_the_queue_to_retry(world):
    trader, notice_id, _ = due_drill(world)
    world.notifier.fail_next(NotifierError("sendMessage", "Too Many Requests", retryable=True))
    # When the first send hits flood control / Then it raises (the queue retries) and is queued
    with pytest.raises(NoticeDeferred):
        dispatch_notice(notice_id, dispatch_deps(world))
    assert world.rows("SELECT status FROM game_notices") == [{"status": "queued"}]
    # And the retry sends it
    assert dispatch_notice(notice_id, dispatch_deps(world)) == "sent"
    assert len(world.notifier.messages_to(trader.telegram_id)) == 1


def test_a_trader_who_blocked_the_bot_is_not_retried(world):
    _, notice_id, _ = due_drill(world)
    world.notifier.fail_next(NotifierError("sendMessage", "bot was blocked", blocked=True))
    assert dispatch_notice(notice_id, dispatch_deps(world)) == "failed"
    assert world.rows("SELECT status FROM game_notices") == [{"status": "failed"}]
    assert dispatch_notice(notice_id, dispatch_deps(world)) == "already_handled"


def test_a_lost_queue_message_is_enqueued_again_after_five_minutes(world):
    # Given a notice enqueued once whose message never arrived
    _, notice_id, deps = due_drill(world)
    # When the relay runs a minute later, then six minutes later
    world.clock.advance(timedelta(minutes=1))
    soon = relay_notices(deps)
    world.clock.advance(timedelta(minutes=5))
    later = relay_notices(deps)
    # Then it is enqueued again only once its five minutes have passed
    assert (soon, later) == (0, 1)
    assert [b["notice_id"] for b in deps.notices_queue.bodies] == [str(notice_id)] * 2


def test_debrief_button_earns_the_read_xp_once(world):
    # Given a trader with a drill report
    trader, notice_id, _ = due_drill(world)
    dispatch_notice(notice_id, dispatch_deps(world))

    def press(update_id: int) -> str:
        update = {
            "update_id": update_id,
            "callback_query": {
                "id": f"cb-{update_id}",
                "from": {"id": trader.telegram_id, "first_name": "T"},
                "data": "drill:2024-01-08",
            },
        }
        return handle_update(update, world.api_deps().bot)

    # When they press Debrief twice
    outcomes = [press(1), press(2)]
    # Then the first press earns 5 XP (and the Debriefed badge), the second nothing more
    assert outcomes == ["debriefed", "debrief_again"]
    kinds = world.rows("SELECT kind, amount FROM xp_events ORDER BY id")
    assert kinds == [
        {"kind": "drill_read", "amount": 5},
        {"kind": "achievement", "amount": 5},
    ]
    assert world.notifier.answer_for("cb-1")["text"] == "Debriefed: +5 XP."


def test_a_notice_a_dead_sender_left_claimed_is_sent_again_after_ten_minutes(world):
    # Given a notice claimed by a sender that died before Telegram answered
    trader, notice_id, deps = due_drill(world)
    with world.uow() as repos:
        assert repos.game.notices.claim(notice_id, world.clock.now()) is not None
    # When the relay runs five, then eleven minutes later
    world.clock.advance(timedelta(minutes=5))
    early = relay_notices(deps)
    world.clock.advance(timedelta(minutes=6))
    late = relay_notices(deps)
    # Then it is queued again only after ten minutes, and the next delivery sends it
    assert (early, late) == (0, 1)
    assert dispatch_notice(notice_id, dispatch_deps(world)) == "sent"
    assert len(world.notifier.messages_to(trader.telegram_id)) == 1
