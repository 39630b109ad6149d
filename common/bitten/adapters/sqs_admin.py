"""SqsQueueAdmin: depths of every queue and its DLQ, and a DLQ's messages peeked or redriven."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bitten.domain.operator import DeadLetter, QueueDepth, UnknownTarget

HOLD_SECONDS = 30  # a peeked message is hidden this long at most (released right after)
SEARCH_ROUNDS = 10  # receives of 10 while looking for one message to redrive
COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
SYSTEM = ["SentTimestamp", "ApproximateReceiveCount", "MessageGroupId"]


class SqsQueueAdmin:
    """`queues`: logical name -> (queue name, DLQ name); URLs are asked once, when first used."""

    def __init__(self, client: Any, queues: dict[str, tuple[str, str]]) -> None:
        self._client = client
        self._queues = queues
        self._urls: dict[str, str] = {}

    def depths(self) -> list[QueueDepth]:
        """Each queue's waiting and in-flight messages, and its DLQ's waiting ones."""
        out = []
        for name, (source, dead) in self._queues.items():
            (depth, in_flight), parked = self._counts(source), self._counts(dead)
            row = QueueDepth(name=name, depth=depth, in_flight=in_flight, dead_letters=sum(parked))
            out.append(row)
        return out

    def peek(self, queue: str, max_messages: int) -> list[DeadLetter]:
        """Up to `max_messages` of the DLQ; they are made visible again at once (they stay)."""
        dlq = self._url(self._pair(queue)[1])
        held = self._receive_all(dlq, max_messages)
        self._release(dlq, held)
        return [_letter(m) for m in held]

    def redrive(self, queue: str, message_id: str) -> DeadLetter:
        """Send one DLQ message back to its queue (FIFO: same group), then delete it from the
        DLQ; UnknownTarget when the DLQ does not hold it."""
        source, dlq = (self._url(n) for n in self._pair(queue))
        held = self._receive_all(dlq, 10 * SEARCH_ROUNDS, stop_at=message_id)
        found = next((m for m in held if m["MessageId"] == message_id), None)
        self._release(dlq, [m for m in held if m is not found])
        if found is None:
            raise UnknownTarget(f"no message {message_id!r} in the {queue} dead-letter queue")
        self._client.send_message(**_resend(source, found))
        self._client.delete_message(QueueUrl=dlq, ReceiptHandle=found["ReceiptHandle"])
        return _letter(found)

    def _pair(self, queue: str) -> tuple[str, str]:
        if queue not in self._queues:
            known = ", ".join(self._queues)
            raise UnknownTarget(f"no queue {queue!r}: the platform's queues are {known}")
        return self._queues[queue]

    def _url(self, name: str) -> str:
        if name not in self._urls:
            self._urls[name] = self._client.get_queue_url(QueueName=name)["QueueUrl"]
        return self._urls[name]

    def _counts(self, name: str) -> tuple[int, int]:
        got = self._client.get_queue_attributes(QueueUrl=self._url(name), AttributeNames=COUNTS)
        attrs = got["Attributes"]
        return int(attrs.get(COUNTS[0], 0)), int(attrs.get(COUNTS[1], 0))

    def _receive_all(self, url: str, limit: int, stop_at: str | None = None) -> list[dict]:
        held: list[dict] = []
        while len(held) < limit:
            batch = self._client.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(10, limit - len(held)),
                VisibilityTimeout=HOLD_SECONDS,
                MessageSystemAttributeNames=SYSTEM,
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            held += batch
            if not batch or any(m["MessageId"] == stop_at for m in batch):
                break
        return held

    def _release(self, url: str, messages: list[dict]) -> None:
        for m in messages:
            self._client.change_message_visibility(
                QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0
            )


def _resend(url: str, m: dict) -> dict[str, Any]:
    """SendMessage parameters putting `m` back on `url` (a FIFO queue keeps its group; its
    dedup id names this DLQ message, so a second redrive within 5 minutes is dropped)."""
    params: dict[str, Any] = {"QueueUrl": url, "MessageBody": m["Body"]}
    if m.get("MessageAttributes"):
        params["MessageAttributes"] = m["MessageAttributes"]
    if url.endswith(".fifo"):
        group = m.get("Attributes", {}).get("MessageGroupId", "redrive")
        params |= {"MessageGroupId": group, "MessageDeduplicationId": f"redrive-{m['MessageId']}"}
    return params


def _letter(m: dict) -> DeadLetter:
    attrs = m.get("Attributes", {})
    sent = attrs.get("SentTimestamp")
    try:
        body: object = json.loads(m["Body"])
    except ValueError:
        body = m["Body"]  # a poison message is often not JSON at all
    return DeadLetter(
        message_id=m["MessageId"],
        body=body,
        sent_at=datetime.fromtimestamp(int(sent) / 1000, UTC) if sent else None,
        receive_count=int(attrs.get("ApproximateReceiveCount", 0)),
    )
