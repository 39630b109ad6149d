"""The in-memory queue and fire lock behave like the SQS / DynamoDB adapters on moto."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from threading import Barrier
from typing import Any

import pytest

from bitten.adapters.clock import SystemClock
from bitten.adapters.dynamodb import DynamoDbFireLock, InMemoryFireLock
from bitten.adapters.sqs import InMemoryMessageQueue, SqsMessageQueue
from bitten.config import load_settings
from bitten.local.aws.resources import LocalAws


@dataclass
class QueueUnderTest:
    queue: Any
    delivered: Callable[[], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def moto_endpoint():
    aws = LocalAws(load_settings(aws_endpoint_url=None))
    yield aws.start(provision_resources=False)
    aws.stop()


def fresh_stage(endpoint_url: str) -> LocalAws:
    """Queues and table of a new stage on the shared moto server: no state between tests."""
    settings = load_settings(bitten_stage=f"u{uuid.uuid4().hex[:10]}", aws_endpoint_url=None)
    aws = LocalAws(settings)
    aws.endpoint_url = endpoint_url
    aws.start()
    return aws


def sqs_queue(endpoint_url: str, logical: str) -> QueueUnderTest:
    """A real, empty queue and a reader of what it would deliver."""
    aws = fresh_stage(endpoint_url)
    client, url = aws.client("sqs"), aws.queue_url(logical)

    def delivered() -> list[dict[str, Any]]:
        reply = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in reply.get("Messages", [])]

    return QueueUnderTest(SqsMessageQueue(client, url), delivered)


def fake_queue(fifo: bool) -> QueueUnderTest:
    queue = InMemoryMessageQueue(fifo=fifo)
    return QueueUnderTest(queue, lambda: queue.bodies)


@pytest.fixture(params=["sqs", "in_memory"])
def fifo_queue(request, moto_endpoint):
    return sqs_queue(moto_endpoint, "fires") if request.param == "sqs" else fake_queue(True)


@pytest.fixture(params=["sqs", "in_memory"])
def standard_queue(request, moto_endpoint):
    return sqs_queue(moto_endpoint, "alerts") if request.param == "sqs" else fake_queue(False)


@pytest.fixture(params=["dynamodb", "in_memory"])
def fire_lock(request, moto_endpoint):
    if request.param == "in_memory":
        return InMemoryFireLock(SystemClock())
    aws = fresh_stage(moto_endpoint)
    return DynamoDbFireLock(aws.client("dynamodb"), aws.settings.fire_lock_table, SystemClock())


def test_fifo_drops_a_repeated_dedup_id(fifo_queue):
    # Given a fire request sent for mission m-1
    fifo_queue.queue.send({"mission_id": "m-1"}, group_id="trader-1", dedup_id="m-1")
    # When the same dedup id is sent again, then another mission's
    fifo_queue.queue.send({"mission_id": "m-1"}, group_id="trader-1", dedup_id="m-1")
    fifo_queue.queue.send({"mission_id": "m-2"}, group_id="trader-1", dedup_id="m-2")
    # Then each mission is delivered once, in order
    assert fifo_queue.delivered() == [{"mission_id": "m-1"}, {"mission_id": "m-2"}]


@pytest.mark.parametrize("group_id,dedup_id", [(None, "m-1"), ("trader-1", None)])
def test_fifo_send_needs_group_and_dedup_ids(fifo_queue, group_id, dedup_id):
    with pytest.raises(ValueError, match="FIFO"):
        fifo_queue.queue.send({"mission_id": "m-1"}, group_id=group_id, dedup_id=dedup_id)
    assert fifo_queue.delivered() == []


def test_standard_queue_delivers_decimals_as_exact_strings(standard_queue):
    # Given a body with a Decimal lot size
    standard_queue.queue.send({"lots": Decimal("0.07"), "pair": "EURUSD"})
    # Then the consumer reads the exact decimal text back
    assert standard_queue.delivered() == [{"lots": "0.07", "pair": "EURUSD"}]


def test_send_returns_a_message_id(standard_queue):
    assert standard_queue.queue.send({"n": 1}) != standard_queue.queue.send({"n": 2})


def test_ping_succeeds_on_a_healthy_queue(standard_queue):
    assert standard_queue.queue.ping() is None


def test_unserialisable_body_is_rejected_before_sending(standard_queue):
    with pytest.raises(TypeError, match="object"):
        standard_queue.queue.send({"bad": object()})
    assert standard_queue.delivered() == []


def test_fake_fifo_accepts_the_dedup_id_again_after_five_minutes():
    # Given a fake FIFO queue on a hand-driven clock
    now = [1000.0]
    queue = InMemoryMessageQueue(fifo=True, clock=lambda: now[0])
    queue.send({"n": 1}, group_id="g", dedup_id="d")
    # When the same dedup id comes back after the 5-minute window
    now[0] += 301
    queue.send({"n": 1}, group_id="g", dedup_id="d")
    # Then it is accepted as a new message
    assert queue.take() == [{"n": 1}, {"n": 1}]
    assert queue.bodies == []


def test_unhealthy_fakes_fail_their_ping():
    queue, lock = InMemoryMessageQueue(), InMemoryFireLock(SystemClock())
    queue.healthy = lock.healthy = False
    with pytest.raises(ConnectionError):
        queue.ping()
    with pytest.raises(ConnectionError):
        lock.ping()


def test_fire_lock_first_claim_wins(fire_lock):
    mission = f"mission-{uuid.uuid4()}"
    assert fire_lock.claim(mission, "worker-a") is True
    assert fire_lock.claim(mission, "worker-a") is False
    assert fire_lock.claim(mission, "worker-b") is False
    assert fire_lock.owner_of(mission) == "worker-a"


def test_fire_lock_missions_are_independent(fire_lock):
    first, second = f"mission-{uuid.uuid4()}", f"mission-{uuid.uuid4()}"
    assert fire_lock.claim(first, "w") is True
    assert fire_lock.claim(second, "w") is True
    assert fire_lock.owner_of(f"mission-{uuid.uuid4()}") is None


def test_fire_lock_eight_racing_claims_one_winner(fire_lock):
    # Given eight threads released at the same instant
    mission, start = f"mission-{uuid.uuid4()}", Barrier(8)

    def race(worker: int) -> bool:
        start.wait()
        return fire_lock.claim(mission, f"worker-{worker}")

    # When each claims the same mission
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(race, range(8)))
    # Then exactly one claim succeeds
    assert results.count(True) == 1
    assert fire_lock.owner_of(mission) == f"worker-{results.index(True)}"
