"""The emulator's flood limits answer 429 with retry_after where Telegram would."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bitten.local.telegram.limits import TelegramLimits
from bitten.local.telegram.state import ApiError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def retry_after(limits: TelegramLimits, chat: int, private: bool = True, paid: bool = False):
    with pytest.raises(ApiError) as refused:
        limits.admit(chat, private, paid)
    assert refused.value.code == 429
    return refused.value.parameters["retry_after"]


def test_the_31st_message_in_a_second_waits(clock):
    limits = TelegramLimits(clock=clock)
    for chat in range(30):
        limits.admit(chat, True, False)
    assert retry_after(limits, 99) == 1
    clock.now += 1.0
    limits.admit(99, True, False)  # a second later it goes
    assert limits.refused == 1


def test_one_chat_allows_a_burst_of_three_then_one_a_second(clock):
    limits = TelegramLimits(clock=clock)
    for _ in range(3):
        limits.admit(42, True, False)
    assert retry_after(limits, 42) == 1
    clock.now += 1.0
    limits.admit(42, True, False)


def test_a_group_takes_twenty_a_minute(clock):
    limits = TelegramLimits(clock=clock)
    for _ in range(20):
        limits.admit(-100500, False, False)
        clock.now += 0.1
    assert retry_after(limits, -100500, private=False) == 58  # the first leaves the window


def test_paid_broadcast_goes_to_a_thousand_a_second_and_charges_above_thirty(clock):
    limits = TelegramLimits(clock=clock)
    for chat in range(1000):
        limits.admit(chat, True, True)
    assert retry_after(limits, 5000, paid=True) == 1
    limits.admit(5000, True, False)  # the free lane is untouched by paid messages
    assert limits.paid_messages == 1000
    assert limits.stars_charged == Decimal("97.0")  # 970 messages above 30 in that second


def test_edits_count_overall_but_not_against_the_chat(clock):
    limits = TelegramLimits(clock=clock)
    for _ in range(3):
        limits.admit(42, True, False)
    limits.admit(42, True, False, edit=True)  # the chat's burst is spent; an edit still goes
    for chat in range(26):
        limits.admit(100 + chat, True, False)
    assert retry_after(limits, 42, private=True) == 1  # 30 in this second: now anything waits
