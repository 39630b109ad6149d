"""SQS MessageQueue adapter (boto3) and its in-memory fake."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

FIFO_DEDUP_WINDOW_SECONDS = 300.0
SQS_BATCH = 10  # SendMessageBatch's limit


def queue_url(client: Any, name: str) -> str:
    """URL of the queue with physical name `name`."""
    return client.get_queue_url(QueueName=name)["QueueUrl"]


def encode_body(body: dict[str, Any]) -> str:
    """Compact JSON; Decimal and UUID become strings (exact), datetimes ISO 8601."""

    def default(value: Any) -> str:
        if isinstance(value, Decimal | UUID):
            return str(value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    return json.dumps(body, default=default, separators=(",", ":"))


def _check_fifo(fifo: bool, group_id: str | None, dedup_id: str | None) -> None:
    if fifo and not (group_id and dedup_id):
        raise ValueError("a FIFO queue needs group_id (the trader) and dedup_id (domain key)")


class SqsMessageQueue:
    """One SQS queue; FIFO is recognised by the `.fifo` URL suffix."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self.queue_url = queue_url
        self.fifo = queue_url.endswith(".fifo")

    def send(
        self, body: dict[str, Any], group_id: str | None = None, dedup_id: str | None = None
    ) -> str:
        """Send `body` as JSON; returns the SQS MessageId."""
        _check_fifo(self.fifo, group_id, dedup_id)
        params: dict[str, Any] = {"QueueUrl": self.queue_url, "MessageBody": encode_body(body)}
        if self.fifo:
            params |= {"MessageGroupId": group_id, "MessageDeduplicationId": dedup_id}
        return self._client.send_message(**params)["MessageId"]

    def send_batch(self, bodies: list[dict[str, Any]]) -> int:
        """Send many bodies, ten a SendMessageBatch call (standard queues); returns how many.

        Raises when SQS refuses any entry: the caller's outbox keeps it and sends it again."""
        if self.fifo:
            raise ValueError("send_batch is for standard queues; a FIFO send needs its ids")
        for start in range(0, len(bodies), SQS_BATCH):
            chunk = bodies[start : start + SQS_BATCH]
            entries = [{"Id": str(i), "MessageBody": encode_body(b)} for i, b in enumerate(chunk)]
            answer = self._client.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
            if answer.get("Failed"):
                raise RuntimeError(f"SQS refused {len(answer['Failed'])} of {len(chunk)} messages")
        return len(bodies)

    def ping(self) -> None:
        """Raise unless the queue answers."""
        self._client.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])


@dataclass(frozen=True)
class QueuedMessage:
    """What the fake recorded for one accepted send."""

    message_id: str
    body: dict[str, Any]
    group_id: str | None
    dedup_id: str | None


class InMemoryMessageQueue:
    """Fake MessageQueue: records sends; FIFO drops a repeated dedup_id within 5 minutes."""

    def __init__(self, fifo: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.fifo = fifo
        self.messages: list[QueuedMessage] = []
        self.healthy = True
        self._clock = clock
        self._seen: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """Bodies of the accepted messages, oldest first, as a consumer would decode them."""
        return [m.body for m in self.messages]

    def send(
        self, body: dict[str, Any], group_id: str | None = None, dedup_id: str | None = None
    ) -> str:
        """Record `body` (after a JSON round trip, like SQS) unless it is a FIFO duplicate."""
        _check_fifo(self.fifo, group_id, dedup_id)
        decoded = json.loads(encode_body(body))
        with self._lock:
            duplicate = self._duplicate_of(dedup_id) if self.fifo else None
            if duplicate:
                return duplicate
            message = QueuedMessage(str(uuid.uuid4()), decoded, group_id, dedup_id)
            self.messages.append(message)
            if self.fifo and dedup_id:
                self._seen[dedup_id] = (message.message_id, self._clock())
            return message.message_id

    def send_batch(self, bodies: list[dict[str, Any]]) -> int:
        """Record each body as one send (the fake of SqsMessageQueue.send_batch)."""
        for body in bodies:
            self.send(body)
        return len(bodies)

    def _duplicate_of(self, dedup_id: str | None) -> str | None:
        seen = self._seen.get(dedup_id or "")
        if seen and self._clock() - seen[1] < FIFO_DEDUP_WINDOW_SECONDS:
            return seen[0]
        return None

    def take(self) -> list[dict[str, Any]]:
        """Remove and return every recorded body (a consumer draining the queue)."""
        with self._lock:
            bodies, self.messages = [m.body for m in self.messages], []
        return bodies

    def ping(self) -> None:
        """Raise ConnectionError when the test marked the queue unhealthy."""
        if not self.healthy:
            raise ConnectionError("in-memory queue marked unhealthy")
