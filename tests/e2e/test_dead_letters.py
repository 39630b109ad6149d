"""Bad queue input: the malformed message ends in its DLQ, the rest of the batch succeeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bitten import bootstrap
from bitten.adapters.clock import VirtualClock
from bitten.local.platform import LocalPlatform
from bitten.local.stack import LocalStack
from factories import make_signal, market


@pytest.fixture
def platform(settings):
    clock = VirtualClock(datetime(2024, 1, 8, 10, 0, tzinfo=UTC))
    candles = market()
    local = settings.model_copy(update={"telegram_bot_token": None, "bitten_stage": "dlq"})
    stack = LocalStack(local, clock, candles)
    live = stack.start()
    yield stack, LocalPlatform.build(live, clock)
    stack.stop()


def test_malformed_signal_message_goes_to_dlq_after_retries(platform):
    stack, plat = platform
    sqs = stack.aws.client("sqs")
    signal = make_signal()
    with bootstrap.uow(plat.settings)() as repos:
        repos.signals.add(signal)
    url = stack.aws.queue_url("signals")
    # Given one good and one malformed message in the same batch
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"signal_id": str(signal.id)}))
    sqs.send_message(QueueUrl=url, MessageBody='{"signal_id": "not-a-uuid"')

    # When the queue is drained by the real mission_fanout handler (Lambda's retry rules)
    handled = plat.drain_queues(sqs, rounds=5)

    # Then the good message was handled once and the malformed one sits in the DLQ
    dlq = stack.aws.queue_url("signals", dead_letter=True)
    dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in dead] == ['{"signal_id": "not-a-uuid"']
    assert (
        handled["mission_fanout"] == 1 + 3
    )  # the good one, then the bad one maxReceiveCount times
    left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert left["Attributes"]["ApproximateNumberOfMessages"] == "0"
