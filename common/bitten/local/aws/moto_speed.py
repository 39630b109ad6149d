"""One moto inefficiency the local SQS works around: `Queue.attributes` counts every message
(ApproximateNumberOfMessages...) and `send_message` reads it for one key, so each send costs
O(queue length) and a 5,000-message fan-out O(n^2) (about 100 ms a SendMessageBatch at 300
queued messages; real SQS is flat). The attributes are computed only when a key other than
ContentBasedDeduplication is read; GetQueueAttributes answers exactly as before."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

CBD = "ContentBasedDeduplication"


class LazyAttributes(Mapping[str, Any]):
    """moto's attribute dict, built on first use except for the one key sends read."""

    def __init__(self, queue: Any, build: Callable[[Any], dict[str, Any]]) -> None:
        self._queue, self._build = queue, build
        self._all: dict[str, Any] | None = None

    def _full(self) -> dict[str, Any]:
        if self._all is None:
            self._all = self._build(self._queue)
        return self._all

    def get(self, key: str, default: Any = None) -> Any:
        if key == CBD:
            if not self._queue.fifo_queue:
                return default
            return str(bool(self._queue.content_based_deduplication)).lower()
        return self._full().get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self._full()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())


def install() -> None:
    """Make moto's Queue.attributes lazy (idempotent)."""
    from moto.sqs.models import Queue

    current = Queue.__dict__["attributes"]
    if getattr(current.fget, "lazy", False):
        return
    build = current.fget

    def attributes(queue: Any) -> LazyAttributes:
        return LazyAttributes(queue, build)

    attributes.lazy = True  # type: ignore[attr-defined]
    Queue.attributes = property(attributes)  # type: ignore[method-assign,assignment]
