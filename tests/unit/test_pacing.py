"""Telegram's limits as GCRA lanes: urgent messages queue at the rate, results wait for them."""

from __future__ import annotations

import pytest

from bitten.domain.pacing import (
    FREE_BROADCAST,
    PAID_BROADCAST,
    PRIVATE_CHAT,
    Priority,
    SlotRequest,
    place,
)


def alert(chat: int, **kw) -> SlotRequest:
    return SlotRequest(chat_id=chat, priority=Priority.ALERT, **kw)


def test_alerts_to_many_chats_are_spaced_at_the_broadcast_rate():
    # Given 30 alerts to 30 traders reserved at the same instant
    tats: dict[str, float] = {}
    delays = [place(alert(1000 + i), tats, now=100.0).delay for i in range(30)]
    # Then each goes one broadcast interval after the previous (28 a second)
    assert delays == pytest.approx([i * FREE_BROADCAST.interval for i in range(30)])


def test_paid_broadcast_uses_its_own_faster_lane():
    tats: dict[str, float] = {}
    delays = [place(alert(1000 + i, paid=True), tats, 0.0).delay for i in range(3)]
    assert delays == pytest.approx([0, PAID_BROADCAST.interval, 2 * PAID_BROADCAST.interval])
    assert "free" not in tats  # a paid broadcast leaves the free lane to everyone else


def test_one_chat_gets_a_short_burst_then_about_one_a_second():
    tats: dict[str, float] = {}
    delays = [place(SlotRequest(chat_id=42), tats, 0.0).delay for _ in range(4)]
    assert delays == pytest.approx([0.0, FREE_BROADCAST.interval, 1.05, 2.1])


def test_a_result_is_refused_while_alerts_are_queued_and_takes_nothing():
    # Given 20 alerts queued for the next 0.7 s
    tats: dict[str, float] = {}
    for i in range(20):
        place(alert(1000 + i), tats, 0.0)
    before = dict(tats)
    # When a fill notification asks for a slot
    slot = place(SlotRequest(chat_id=7, priority=Priority.RESULT), tats, 0.0)
    # Then it is told to come back after the queue, and no lane moved
    assert slot.refused == "busy" and slot.delay == pytest.approx(20 * FREE_BROADCAST.interval)
    assert tats == before


def test_a_result_goes_at_once_when_no_alert_waits():
    slot = place(SlotRequest(chat_id=7, priority=Priority.RESULT), {}, 0.0)
    assert (slot.refused, slot.delay) == (None, 0.0)


def test_an_alert_that_could_only_go_after_its_deadline_is_refused_without_a_slot():
    tats: dict[str, float] = {}
    for i in range(56):  # two seconds of queue
        place(alert(1000 + i), tats, 0.0)
    before = dict(tats)
    slot = place(alert(9, max_delay=1.0), tats, 0.0)
    assert slot.refused == "late" and slot.delay > 1.0
    assert tats == before


def test_group_chats_take_the_slower_group_lane():
    tats: dict[str, float] = {}
    delays = [place(alert(-100123), tats, 0.0).delay for _ in range(2)]
    assert delays[1] == pytest.approx(3.1)
    assert PRIVATE_CHAT.burst == 2


def test_an_edit_takes_the_broadcast_lane_only():
    tats: dict[str, float] = {}
    place(SlotRequest(chat_id=42), tats, 0.0)
    place(SlotRequest(chat_id=42), tats, 0.0)
    edit = place(SlotRequest(chat_id=42, edit=True), tats, 0.0)
    assert edit.delay == pytest.approx(2 * FREE_BROADCAST.interval)  # not the chat's 1.05 s


def test_a_result_to_a_chat_that_just_had_its_burst_is_kept_for_later():
    tats: dict[str, float] = {}
    place(alert(42), tats, 0.0)
    place(alert(42), tats, 0.0)  # the chat's burst of two
    before = dict(tats)
    slot = place(SlotRequest(chat_id=42, priority=Priority.RESULT), tats, 0.1)  # lane idle again
    assert slot.refused == "busy" and slot.delay == pytest.approx(0.95) and tats == before
