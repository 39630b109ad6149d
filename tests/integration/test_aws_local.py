"""Local SQS + DynamoDB built from template.yaml on a moto server, driven like Lambda would."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Barrier
from typing import Any

import pytest

from bitten.adapters.clock import SystemClock
from bitten.adapters.dynamodb import DynamoDbFireLock
from bitten.adapters.sqs import SqsMessageQueue
from bitten.config import Settings, load_settings
from bitten.local.aws.event_source import (
    SqsPoller,
    drain,
    failed_message_ids,
    schedule_event,
    sqs_event_for_bodies,
)
from bitten.local.aws.resources import LocalAws, LocalResources, provision


@dataclass
class Stack:
    settings: Settings
    aws: LocalAws
    resources: LocalResources

    def queue(self, logical: str, dead_letter: bool = False) -> SqsMessageQueue:
        return SqsMessageQueue(self.aws.client("sqs"), self.aws.queue_url(logical, dead_letter))

    def attributes(self, logical: str) -> dict[str, str]:
        url = self.aws.queue_url(logical)
        return self.aws.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
            "Attributes"
        ]

    def receive_bodies(self, logical: str, dead_letter: bool = False) -> list[dict[str, Any]]:
        url = self.aws.queue_url(logical, dead_letter)
        reply = self.aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in reply.get("Messages", [])]


@pytest.fixture(scope="module")
def moto_aws():
    aws = LocalAws(load_settings(bitten_stage="unused", aws_endpoint_url=None))
    aws.start(provision_resources=False)
    yield aws
    aws.stop()


@pytest.fixture
def stack(moto_aws):
    """A fresh stage (its own queues and table) on the shared moto server."""
    settings = load_settings(bitten_stage=f"t{uuid.uuid4().hex[:10]}", aws_endpoint_url=None)
    aws = LocalAws(settings)
    aws.endpoint_url = moto_aws.endpoint_url
    aws.start()
    return Stack(settings, aws, aws.resources)


def fail_marked(seen: list[dict[str, Any]]):
    """A queue handler that reports every record whose body has "fail": true as failed."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        assert context.get_remaining_time_in_millis() > 0
        records = [{**r, "decoded": json.loads(r["body"])} for r in event["Records"]]
        seen.extend(records)
        bad = [r["messageId"] for r in records if r["decoded"].get("fail")]
        return {"batchItemFailures": [{"itemIdentifier": i} for i in bad]}

    return handler


def test_provisioning_creates_every_queue_and_the_table_of_the_template(stack):
    # Given a stage provisioned from template.yaml / Then all its resources exist by name
    stage = stack.settings.bitten_stage
    names = ("signals", "alerts", "signals-dlq", "alerts-dlq", "game", "game-dlq")  # game: issue 12
    expected = {f"bitten-{stage}-{n}" for n in names}
    expected |= {f"bitten-{stage}-fires.fifo", f"bitten-{stage}-fires-dlq.fifo"}
    assert set(stack.resources.queue_urls) == expected
    assert stack.resources.tables == [stack.settings.fire_lock_table]


def test_fifo_fire_queue_has_the_template_attributes(stack):
    # When the fires queue is inspected
    attributes = stack.attributes("fires")
    redrive = json.loads(attributes["RedrivePolicy"])
    # Then it is FIFO without content dedup, redriving to the FIFO DLQ after 3 receives
    assert attributes["FifoQueue"] == "true"
    assert attributes["ContentBasedDeduplication"] == "false"
    assert attributes["VisibilityTimeout"] == "180"
    assert redrive["deadLetterTargetArn"].endswith(
        f"bitten-{stack.settings.bitten_stage}-fires-dlq.fifo"
    )
    assert int(redrive["maxReceiveCount"]) == 3


def test_fire_lock_table_has_key_and_ttl(stack):
    dynamodb = stack.aws.client("dynamodb")
    table = dynamodb.describe_table(TableName=stack.settings.fire_lock_table)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=stack.settings.fire_lock_table)
    assert table["KeySchema"] == [{"AttributeName": "mission_id", "KeyType": "HASH"}]
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_provision_is_idempotent_and_converges_drifted_attributes(stack):
    # Given someone changed the signals visibility timeout by hand
    sqs = stack.aws.client("sqs")
    url = stack.aws.queue_url("signals")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5"})
    # When provisioning runs again
    again = provision(stack.settings, stack.aws.endpoint_url)
    # Then the same queues come back and the template value is restored
    assert again == stack.resources
    assert stack.attributes("signals")["VisibilityTimeout"] == "360"


@pytest.mark.parametrize("logical,group", [("signals", None), ("fires", "trader-7")])
def test_drain_deletes_good_messages_and_redrives_the_failing_one(stack, logical, group):
    # Given three messages, one of which its handler always rejects
    queue = stack.queue(logical)
    for n, fail in enumerate([False, True, False]):
        queue.send({"n": n, "fail": fail}, group_id=group, dedup_id=f"d{n}" if group else None)
    seen: list[dict[str, Any]] = []
    # When the local event source drains the queue
    stats = drain(stack.aws.client("sqs"), queue.queue_url, fail_marked(seen))
    # Then the good ones were deleted once, the bad one tried maxReceiveCount (3) times
    assert stats.deleted == 2
    bad_receipts = [
        r["attributes"]["ApproximateReceiveCount"] for r in seen if r["decoded"]["fail"]
    ]
    assert bad_receipts == ["1", "2", "3"]
    # And it now sits in the DLQ while the source queue is empty
    assert stack.receive_bodies(logical, dead_letter=True) == [{"n": 1, "fail": True}]
    assert stack.receive_bodies(logical) == []


def test_records_have_the_lambda_sqs_event_shape(stack):
    queue = stack.queue("fires")
    queue.send({"mission_id": "m1"}, group_id="trader-1", dedup_id="m1")
    seen: list[dict[str, Any]] = []
    drain(stack.aws.client("sqs"), queue.queue_url, fail_marked(seen))
    record = seen[0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":" + stack.settings.queue_name("fires"))
    assert record["awsRegion"] == "us-east-1"
    assert record["attributes"]["MessageGroupId"] == "trader-1"
    assert record["attributes"]["MessageDeduplicationId"] == "m1"
    assert set(record) >= {"messageId", "receiptHandle", "body", "md5OfBody", "messageAttributes"}


def test_a_raising_handler_fails_the_whole_batch_and_nothing_is_lost(stack):
    # Given a handler that crashes on its first invocation only
    queue = stack.queue("alerts")
    for n in range(3):
        queue.send({"n": n})
    calls: list[int] = []

    def flaky(event: dict[str, Any], context: Any) -> None:
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("telegram down")

    # When drained
    stats = drain(stack.aws.client("sqs"), queue.queue_url, flaky)
    # Then every message was retried and finally deleted
    assert stats.handler_errors == 1
    assert stats.deleted == 3
    assert stack.receive_bodies("alerts", dead_letter=True) == []


def test_fifo_dedup_id_blocks_a_second_identical_send(stack):
    # Given a fire request already sent for mission m-42
    queue = stack.queue("fires")
    queue.send({"mission_id": "m-42"}, group_id="trader-1", dedup_id="m-42")
    # When the trader taps FIRE again within 5 minutes, and fires another mission
    queue.send({"mission_id": "m-42"}, group_id="trader-1", dedup_id="m-42")
    queue.send({"mission_id": "m-43"}, group_id="trader-1", dedup_id="m-43")
    # Then only one request per mission is delivered, in order
    seen: list[dict[str, Any]] = []
    drain(stack.aws.client("sqs"), queue.queue_url, fail_marked(seen))
    assert [r["decoded"]["mission_id"] for r in seen] == ["m-42", "m-43"]


def test_fire_lock_claims_once(stack):
    lock = DynamoDbFireLock(
        stack.aws.client("dynamodb"), stack.settings.fire_lock_table, SystemClock()
    )
    assert lock.claim("mission-1", "worker-a") is True
    assert lock.claim("mission-1", "worker-b") is False
    assert lock.owner_of("mission-1") == "worker-a"


def test_fire_lock_stores_claim_time_and_ttl(stack):
    client = stack.aws.client("dynamodb")
    DynamoDbFireLock(client, stack.settings.fire_lock_table, SystemClock()).claim(
        "mission-2", "worker-a"
    )
    item = client.get_item(
        TableName=stack.settings.fire_lock_table, Key={"mission_id": {"S": "mission-2"}}
    )["Item"]
    claimed_at = datetime.fromisoformat(item["claimed_at"]["S"])
    assert abs((datetime.now(UTC) - claimed_at).total_seconds()) < 60
    assert int(item["expires_at"]["N"]) == int(claimed_at.timestamp()) + 7 * 24 * 3600


def test_eight_concurrent_claims_have_exactly_one_winner(stack):
    # Given eight workers racing for the same mission
    lock = DynamoDbFireLock(
        stack.aws.client("dynamodb"), stack.settings.fire_lock_table, SystemClock()
    )
    start = Barrier(8)

    def race(worker: int) -> bool:
        start.wait()
        return lock.claim("mission-race", f"worker-{worker}")

    # When they all claim at once
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(race, range(8)))
    # Then exactly one wins and the table names it
    assert results.count(True) == 1
    assert lock.owner_of("mission-race") == f"worker-{results.index(True)}"


def test_ping_fails_for_a_missing_queue_or_table(stack):
    stack.queue("signals").ping()
    DynamoDbFireLock(
        stack.aws.client("dynamodb"), stack.settings.fire_lock_table, SystemClock()
    ).ping()
    with pytest.raises(Exception, match="NonExistentQueue|does not exist"):
        SqsMessageQueue(stack.aws.client("sqs"), stack.aws.queue_url("signals") + "-nope").ping()
    with pytest.raises(Exception, match="ResourceNotFound"):
        DynamoDbFireLock(stack.aws.client("dynamodb"), "no-such-table", SystemClock()).ping()


def test_malformed_batch_response_fails_the_whole_batch():
    ids = {"a", "b"}
    assert failed_message_ids(None, ids) == set()
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "a"}]}, ids) == {"a"}
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "zz"}]}, ids) == ids
    assert failed_message_ids("ok", ids) == ids


def test_schedule_event_has_the_eventbridge_shape():
    event = schedule_event("bitten-local-scan", datetime(2024, 5, 1, 12, 30, tzinfo=UTC))
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2024-05-01T12:30:00Z"
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/bitten-local-scan"]


def test_built_event_has_the_same_shape_as_a_drained_one(stack):
    # Given a record drained from the real FIFO queue and one built without a queue
    queue = stack.queue("fires")
    queue.send({"mission_id": "m1"}, group_id="trader-1", dedup_id="m1")
    seen: list[dict[str, Any]] = []
    drain(stack.aws.client("sqs"), queue.queue_url, fail_marked(seen))
    real = {k: v for k, v in seen[0].items() if k != "decoded"}
    built = sqs_event_for_bodies([{"mission_id": "m1"}], "x.fifo", group_id="trader-1")
    record = built["Records"][0]
    # Then both carry the same keys, attribute names and body text
    assert set(record) == set(real)
    assert set(record["attributes"]) == set(real["attributes"])
    assert record["body"] == real["body"]


def test_poller_feeds_messages_to_the_handler_in_the_background(stack):
    # Given a poller running on the alerts queue
    delivered: list[str] = []
    arrived = threading.Event()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        delivered.extend(r["body"] for r in event["Records"])
        arrived.set()
        return {"batchItemFailures": []}

    sqs = stack.aws.client("sqs")
    poller = SqsPoller(
        sqs, stack.aws.queue_url("alerts"), handler, function_name="alerts", idle_sleep_s=0.02
    ).start()
    try:
        # When a message is sent
        stack.queue("alerts").send({"alert": 1})
        # Then the handler gets it and it is deleted
        assert arrived.wait(10)
    finally:
        poller.stop()
    assert delivered == ['{"alert":1}']
    assert poller.stats.deleted == 1
    assert stack.receive_bodies("alerts") == []
