"""The Telegram pacer: a global rate and one message a second per chat, on a fake clock."""

from __future__ import annotations

from bitten.adapters.pacing import TokenBucketPacer


class FakeTime:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_sends_to_different_chats_are_spaced_by_the_rate():
    t = FakeTime()
    pacer = TokenBucketPacer(10, clock=t.clock, sleep=t.sleep)
    for chat in range(5):
        pacer.wait(chat)
    assert t.slept == [0.1, 0.1, 0.1, 0.1] and round(t.now, 3) == 100.4


def test_two_messages_to_one_chat_are_a_second_apart():
    t = FakeTime()
    pacer = TokenBucketPacer(10, clock=t.clock, sleep=t.sleep)
    pacer.wait(7)
    pacer.wait(7)
    assert t.slept == [1.0]
