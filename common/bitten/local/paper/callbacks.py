"""The paper gateway's event feed: each deal POSTed, signed, to a callback URL (as a real
ForexVPS gateway would push fills and closes); delivery is best effort, result_sync is the
fallback."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable

from bitten.adapters.broker_callbacks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from bitten.domain.broker import Deal
from bitten.ports import Clock

log = logging.getLogger(__name__)


class CallbackSender:
    """Queue deals from the book and POST them on a daemon thread, one at a time, in order."""

    def __init__(self, url: str, secret: str, clock: Clock, timeout_s: float = 5.0) -> None:
        self.url, self._secret, self._clock, self._timeout = url, secret, clock, timeout_s
        self._queue: queue.Queue[tuple[str, Deal] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="paper-callbacks", daemon=True)
        self.delivered = 0
        self.failed = 0

    def start(self) -> CallbackSender:
        self._thread.start()
        return self

    def __call__(self, login: str, deal: Deal) -> None:
        """The book's listener: never blocks the book."""
        self._queue.put((login, deal))

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until every queued deal was posted (or failed); False on timeout."""
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import httpx

        with httpx.Client(timeout=self._timeout) as http:
            while (item := self._queue.get()) is not None:
                try:
                    self._post(http.post, *item)
                finally:
                    self._queue.task_done()

    def _post(self, post: Callable, login: str, deal: Deal) -> None:
        body = json.dumps({"event": "deal", "login": login, "deal": deal.model_dump(mode="json")})
        stamp = int(self._clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(self._secret, stamp, body.encode()),
        }
        try:
            response = post(self.url, content=body, headers=headers)
            ok = response.status_code == 200
        except Exception as err:  # noqa: BLE001 - a lost event is result_sync's to catch up
            log.warning("paper callback to %s failed: %s", self.url, err)
            ok = False
        self.delivered += ok
        self.failed += not ok
