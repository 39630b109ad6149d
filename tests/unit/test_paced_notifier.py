"""PacedNotifier: sends when the shared lanes allow, skips what would arrive too late, lets
fresh alerts go before results."""

from __future__ import annotations

import pytest

from bitten.adapters.telegram import NotifierError
from bitten.adapters.telegram_fakes import InMemorySendPacer, RecordingNotifier
from bitten.adapters.telegram_paced import PacedNotifier, slot_request
from bitten.domain.pacing import FREE_BROADCAST, Priority
from bitten.ports import Outgoing


class FakeTime:
    """A monotonic clock that sleeping moves forward (no real waiting in unit tests)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


def paced(time_: FakeTime, inner: RecordingNotifier) -> PacedNotifier:
    pacer = InMemorySendPacer(clock=time_.monotonic)
    return PacedNotifier(inner, pacer, sleep=time_.sleep, monotonic=time_.monotonic)


def alert(chat: int, max_delay: float | None = None) -> Outgoing:
    return Outgoing(
        chat_id=chat, text=f"alert {chat}", priority=Priority.ALERT, max_delay=max_delay
    )


def test_a_batch_of_alerts_goes_out_at_the_broadcast_rate(time_):
    inner = RecordingNotifier()
    deliveries = paced(time_, inner).deliver([alert(1000 + i) for i in range(10)])
    assert [d.status for d in deliveries] == ["sent"] * 10
    assert [m["chat_id"] for m in inner.sent] == [1000 + i for i in range(10)]
    slots = [m["at"] for m in inner.sent]
    assert slots == pytest.approx([i * FREE_BROADCAST.interval for i in range(10)])


def test_an_alert_that_would_arrive_after_expiry_is_not_sent(time_):
    inner = RecordingNotifier()
    notifier = paced(time_, inner)
    queue = [alert(1000 + i) for i in range(56)] + [alert(7, max_delay=1.0)]
    deliveries = notifier.deliver(queue)
    assert deliveries[-1].status == "late" and deliveries[-1].message_id is None
    assert 7 not in [m["chat_id"] for m in inner.sent]


def test_a_result_waits_for_queued_alerts_then_goes(time_):
    # Given another instance reserved slots for 20 alerts, and a sender that waits up to 2 s
    inner = RecordingNotifier()
    pacer = InMemorySendPacer(clock=time_.monotonic)
    notifier = PacedNotifier(
        inner, pacer, low_priority_wait=2.0, sleep=time_.sleep, monotonic=time_.monotonic
    )
    pacer.reserve([slot_request(alert(1000 + i)) for i in range(20)])  # another instance's batch
    (fill,) = notifier.deliver([Outgoing(chat_id=5, text="filled", priority=Priority.RESULT)])
    assert fill.status == "sent"
    assert inner.sent[0]["at"] >= 19 * FREE_BROADCAST.interval  # only once the alerts went


def test_a_result_gives_up_after_its_wait_and_says_so(time_):
    inner = RecordingNotifier()
    pacer = InMemorySendPacer(clock=time_.monotonic)
    notifier = PacedNotifier(
        inner, pacer, low_priority_wait=0.5, sleep=time_.sleep, monotonic=time_.monotonic
    )
    pacer.reserve([slot_request(alert(1000 + i)) for i in range(100)])
    (fill,) = notifier.deliver([Outgoing(chat_id=5, text="filled", priority=Priority.RESULT)])
    assert fill.status == "busy" and inner.sent == []
    with pytest.raises(NotifierError, match="alerts go first"):
        notifier.edit_message(5, 1, "edited")


def test_a_blocked_trader_is_reported_not_raised(time_):
    inner = RecordingNotifier()
    inner.fail_next(NotifierError("sendMessage", "Forbidden: bot was blocked", blocked=True))
    (delivery,) = paced(time_, inner).deliver([alert(5)])
    assert (delivery.status, delivery.message_id) == ("blocked", None)
