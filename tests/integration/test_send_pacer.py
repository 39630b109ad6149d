"""PostgresSendPacer: every function instance shares Telegram's lanes through Postgres."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bitten.adapters.postgres.pacer import PostgresSendPacer
from bitten.domain.pacing import FREE_BROADCAST, Priority, SlotRequest


@pytest.fixture
def pacer(settings) -> Iterator[PostgresSendPacer]:
    pacer = PostgresSendPacer(settings.database_url)
    yield pacer
    pacer.close()


def test_concurrent_instances_never_share_a_slot(settings):
    # Given four instances each reserving a batch of 10 alerts at the same moment
    found: list[float] = []
    lock = threading.Lock()

    def instance(n: int) -> None:  # each instance has its own pacer and connection
        pacer = PostgresSendPacer(settings.database_url)
        pacer.ping()
        started = time.time()
        slots = pacer.reserve(
            [SlotRequest(chat_id=n * 100 + i, priority=Priority.ALERT) for i in range(10)]
        )
        pacer.close()
        with lock:
            found.extend(started + s.delay for s in slots)

    threads = [threading.Thread(target=instance, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then the 40 sends are spaced at least one broadcast interval apart (within clock error)
    times = sorted(found)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 40
    assert min(gaps) > FREE_BROADCAST.interval * 0.5
    assert times[-1] - times[0] == pytest.approx(39 * FREE_BROADCAST.interval, abs=0.05)


def test_the_lanes_outlive_one_call(pacer):
    # Given a chat that just got two messages (its burst)
    pacer.reserve([SlotRequest(chat_id=42), SlotRequest(chat_id=42)])
    # When a third is asked for in a later call
    (third,) = pacer.reserve([SlotRequest(chat_id=42)])
    # Then it waits about a second, as the chat lane remembers
    assert 0.9 < third.delay < 1.1


def test_a_result_is_refused_while_another_instances_alerts_are_queued(pacer):
    pacer.reserve([SlotRequest(chat_id=i, priority=Priority.ALERT) for i in range(30)])
    (fill,) = pacer.reserve([SlotRequest(chat_id=999, priority=Priority.RESULT)])
    assert fill.refused == "busy"
