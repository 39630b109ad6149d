"""Local stand-in for Lambda's SQS event source mapping and EventBridge schedules."""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any], Any], Any]
LOCAL_ACCOUNT = "123456789012"


@dataclass
class DrainStats:
    """What one drain did: batches invoked, messages received / deleted / left to retry."""

    batches: int = 0
    received: int = 0
    deleted: int = 0
    failed: int = 0
    handler_errors: int = 0


@dataclass
class LambdaContext:
    """The parts of the Lambda context object handlers use."""

    function_name: str
    timeout_s: float = 30.0
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_s
        arn = f"arn:aws:lambda:us-east-1:{LOCAL_ACCOUNT}:function:{self.function_name}"
        self.invoked_function_arn = arn
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the (emulated) timeout."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """One boto3 ReceiveMessage message -> one Lambda SQS event record."""
    record = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _message_attribute(value)
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    binary = value.get("BinaryValue")
    return {
        "stringValue": value.get("StringValue"),
        "binaryValue": base64.b64encode(binary).decode() if binary is not None else None,
        "stringListValues": value.get("StringListValues", []),
        "binaryListValues": [
            base64.b64encode(b).decode() for b in value.get("BinaryListValues", [])
        ],
        "dataType": value["DataType"],
    }


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The exact event Lambda hands an SQS-triggered function."""
    return {"Records": [sqs_record(m, queue_arn) for m in messages]}


def sqs_event_for_bodies(
    bodies: list[dict[str, Any]], queue_name: str = "bitten-local-signals", group_id: str = ""
) -> dict[str, Any]:
    """A Lambda SQS event carrying `bodies` (first receive), for handler tests without a queue."""
    from bitten.adapters.sqs import encode_body

    now = str(int(time.time() * 1000))
    messages = []
    for body in bodies:
        text = encode_body(body)
        attributes = {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": now,
            "ApproximateFirstReceiveTimestamp": now,
            "SenderId": "LOCAL",
        }
        if group_id:
            attributes |= {
                "MessageGroupId": group_id,
                "MessageDeduplicationId": str(uuid.uuid4()),
                "SequenceNumber": str(time.time_ns()),
            }
        messages.append(
            {
                "MessageId": str(uuid.uuid4()),
                "ReceiptHandle": uuid.uuid4().hex,
                "Body": text,
                "MD5OfBody": hashlib.md5(text.encode()).hexdigest(),
                "Attributes": attributes,
            }
        )
    return sqs_event(messages, f"arn:aws:sqs:us-east-1:{LOCAL_ACCOUNT}:{queue_name}")


def schedule_event(rule_name: str, time: datetime, region: str = "us-east-1") -> dict[str, Any]:
    """The EventBridge 'Scheduled Event' a rate(...) rule delivers."""
    stamp = time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": LOCAL_ACCOUNT,
        "time": stamp,
        "region": region,
        "resources": [f"arn:aws:events:{region}:{LOCAL_ACCOUNT}:rule/{rule_name}"],
        "detail": {},
    }


def failed_message_ids(response: Any, batch_ids: set[str]) -> set[str]:
    """Lambda's reading of a ReportBatchItemFailures response; malformed = whole batch failed."""
    if response is None:
        return set()
    failures = response.get("batchItemFailures", []) if isinstance(response, dict) else None
    if failures is None:
        return set(batch_ids)
    ids = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
    return (
        {i for i in ids if i in batch_ids} if all(i in batch_ids for i in ids) else set(batch_ids)
    )


def arn_of(client: Any, queue_url: str) -> str:
    """The queue's ARN (what Lambda puts in eventSourceARN)."""
    attrs = client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return str(attrs["Attributes"]["QueueArn"])


def drain(
    client: Any,
    queue_url: str,
    handler: Handler,
    *,
    batch_size: int = 10,
    max_batches: int | None = None,
    function_name: str = "local",
    retry_delay_s: int = 0,
    queue_arn: str | None = None,
    wait_time_s: int = 0,
) -> DrainStats:
    """Feed the queue to `handler` in Lambda-shaped batches until it is empty (or max_batches).
    Pass `queue_arn` when known to save a call per drain; `wait_time_s` long-polls as
    Lambda's poller does (an empty receive waits for a message instead of returning)."""
    queue_arn = queue_arn or arn_of(client, queue_url)
    stats = DrainStats()
    while max_batches is None or stats.batches < max_batches:
        messages = client.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=max(1, min(batch_size, 10)),
            WaitTimeSeconds=wait_time_s,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            break
        _run_batch(
            client,
            queue_url,
            handler,
            sqs_event(messages, queue_arn),
            stats,
            function_name,
            retry_delay_s,
        )
    return stats


def _run_batch(
    client: Any,
    queue_url: str,
    handler: Handler,
    event: dict[str, Any],
    stats: DrainStats,
    function_name: str,
    retry_delay_s: int,
) -> None:
    records = event["Records"]
    by_id = {r["messageId"]: r["receiptHandle"] for r in records}
    try:
        failed = failed_message_ids(handler(event, LambdaContext(function_name)), set(by_id))
    except Exception:  # Lambda: an exception fails the whole batch
        log.exception("handler %s raised; %d messages will be retried", function_name, len(by_id))
        stats.handler_errors += 1
        failed = set(by_id)
    done = [
        {"Id": str(i), "ReceiptHandle": h}
        for i, (m, h) in enumerate(by_id.items())
        if m not in failed
    ]
    if done:
        client.delete_message_batch(QueueUrl=queue_url, Entries=done)
    for message_id in failed:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=by_id[message_id], VisibilityTimeout=retry_delay_s
        )
    stats.batches += 1
    stats.received += len(records)
    stats.deleted += len(done)
    stats.failed += len(failed)


class SqsPoller:
    """A background thread that keeps draining one queue into one handler (`bitten run`)."""

    def __init__(
        self,
        client: Any,
        queue_url: str,
        handler: Handler,
        *,
        function_name: str,
        batch_size: int = 10,
        idle_sleep_s: float = 0.2,
        wait_time_s: int = 0,
    ) -> None:
        self._args = (client, queue_url, handler)
        self._options = {
            "batch_size": batch_size,
            "function_name": function_name,
            "wait_time_s": wait_time_s,
        }
        self._idle_sleep_s = idle_sleep_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"poll-{function_name}", daemon=True)
        self.stats = DrainStats()

    def start(self) -> SqsPoller:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                stats = drain(*self._args, max_batches=1, **self._options)  # type: ignore[arg-type]
            except Exception:  # keep polling through a transient endpoint error
                log.exception("poller %s: receive failed", self._options["function_name"])
                stats = DrainStats()
            for name in ("batches", "received", "deleted", "failed", "handler_errors"):
                setattr(self.stats, name, getattr(self.stats, name) + getattr(stats, name))
            if not stats.batches:
                self._stop.wait(self._idle_sleep_s)
