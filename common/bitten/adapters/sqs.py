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
SQS_BATCH = 10  # SendMessageBatch takes at most 10 entries


class BatchSendFailed(ConnectionError):
    """Some entries of a batch send were refused twice; the caller's message is redelivered."""


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
        self,
        body: dict[str, Any],
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay_seconds: int = 0,
    ) -> str:
        """Send `body` as JSON (visible after `delay_seconds`, standard queues); the MessageId."""
        _check_fifo(self.fifo, group_id, dedup_id)
        params: dict[str, Any] = {"QueueUrl": self.queue_url, "MessageBody": encode_body(body)}
        if delay_seconds and not self.fifo:
            params["DelaySeconds"] = min(int(delay_seconds), 900)
        if self.fifo:
            params |= {"MessageGroupId": group_id, "MessageDeduplicationId": dedup_id}
        return self._client.send_message(**params)["MessageId"]

    def send_batch(self, bodies: list[dict[str, Any]], parallel: int = 8) -> None:
        """Send standard-queue messages 10 to a call, `parallel` calls at a time (each waits
        on the network); entries SQS refuses are sent once more, then BatchSendFailed
        (nothing is lost: the caller's own message is redelivered)."""
        if self.fifo:
            raise ValueError("send_batch is for standard queues (FIFO needs a group per message)")
        chunks = [bodies[i : i + SQS_BATCH] for i in range(0, len(bodies), SQS_BATCH)]
        if len(chunks) <= 1:
            refused = sum(self._send_chunk(c) for c in chunks)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(parallel, len(chunks)), "sqs-batch") as pool:
                refused = sum(pool.map(self._send_chunk, chunks))
        if refused:
            raise BatchSendFailed(f"SQS refused {refused} message(s) twice")

    def _send_chunk(self, chunk: list[dict[str, Any]]) -> int:
        """One SendMessageBatch (and one retry of what it refused); returns what is left."""
        entries = [{"Id": str(n), "MessageBody": encode_body(b)} for n, b in enumerate(chunk)]
        for _ in range(2):
            answer = self._client.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
            refused = {f["Id"] for f in answer.get("Failed", [])}
            entries = [e for e in entries if e["Id"] in refused]
            if not entries:
                return 0
        return len(entries)

    def ping(self) -> None:
        """Raise unless the queue answers."""
        self._client.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])


class LazyMessageQueue:
    """A queue built on first use, so building deps asks SQS nothing (a CLI command that
    never sends needs no queue at all)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._queue: Any = None

    def _get(self) -> Any:
        if self._queue is None:
            self._queue = self._make()
        return self._queue

    def send(
        self,
        body: dict[str, Any],
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay_seconds: int = 0,
    ) -> str:
        return str(self._get().send(body, group_id, dedup_id, delay_seconds))

    def send_batch(self, bodies: list[dict[str, Any]]) -> None:
        self._get().send_batch(bodies)

    def ping(self) -> None:
        self._get().ping()


@dataclass(frozen=True)
class QueuedMessage:
    """What the fake recorded for one accepted send."""

    message_id: str
    body: dict[str, Any]
    group_id: str | None
    dedup_id: str | None
    delay_seconds: int = 0


class InMemoryMessageQueue:
    """Fake MessageQueue: records sends; FIFO drops a repeated dedup_id within 5 minutes."""

    def __init__(self, fifo: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.fifo = fifo
        self.messages: list[QueuedMessage] = []
        self.healthy = True
        self.batches = 0  # SendMessageBatch calls a real queue would have taken
        self._clock = clock
        self._seen: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """Bodies of the accepted messages, oldest first, as a consumer would decode them."""
        return [m.body for m in self.messages]

    def send(
        self,
        body: dict[str, Any],
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay_seconds: int = 0,
    ) -> str:
        """Record `body` (after a JSON round trip, like SQS) unless it is a FIFO duplicate;
        the delay is recorded, not waited."""
        _check_fifo(self.fifo, group_id, dedup_id)
        decoded = json.loads(encode_body(body))
        with self._lock:
            duplicate = self._duplicate_of(dedup_id) if self.fifo else None
            if duplicate:
                return duplicate
            message = QueuedMessage(str(uuid.uuid4()), decoded, group_id, dedup_id, delay_seconds)
            self.messages.append(message)
            if self.fifo and dedup_id:
                self._seen[dedup_id] = (message.message_id, self._clock())
            return message.message_id

    def send_batch(self, bodies: list[dict[str, Any]]) -> None:
        """Record each body, as SendMessageBatch would (standard queues only)."""
        if self.fifo:
            raise ValueError("send_batch is for standard queues (FIFO needs a group per message)")
        for body in bodies:
            self.send(body)
        self.batches += (len(bodies) + SQS_BATCH - 1) // SQS_BATCH

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
