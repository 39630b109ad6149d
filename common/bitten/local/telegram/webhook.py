"""Webhook delivery: POST each pending Update in order, retry failures, like Telegram."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from bitten.local.telegram.state import BotState
from bitten.local.telegram.updates import visible_updates

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery(threading.Thread):
    """One delivery thread: an update stays queued until the bot answers 2xx or retries run out."""

    def __init__(
        self,
        state: BotState,
        run_method: Callable[[str, dict[str, Any]], Any],
        retry_delays: tuple[float, ...],
    ):
        super().__init__(name="telegram-emulator-webhook", daemon=True)
        self.state = state
        self.run_method = run_method
        self.retry_delays = retry_delays
        self._attempts: dict[int, int] = {}
        self._not_before = 0.0

    def run(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while (job := self._next_job()) is not None:
                self._deliver(client, *job)

    def _next_job(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        with self.state.cond:
            while not self.state.stopped:
                ready = visible_updates(self.state) if self.state.webhook else []
                wait = self._not_before - time.monotonic()
                if ready and wait <= 0:
                    return copy.deepcopy(ready[0]), dict(self.state.webhook or {})
                self.state.cond.wait(wait if ready else None)
            return None

    def _deliver(self, client: httpx.Client, update: dict[str, Any], hook: dict[str, Any]) -> None:
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers[SECRET_HEADER] = hook["secret_token"]
        status, error, reply = None, None, None
        try:
            response = client.post(hook["url"], content=json.dumps(update), headers=headers)
            status = response.status_code
            if response.is_success:
                reply = _method_call(response)
            else:
                error = f"Wrong response from the webhook: {status} {response.reason_phrase}"
        except httpx.HTTPError as exc:
            error = f"Connection failed: {type(exc).__name__}: {exc}"
        self._settle(update["update_id"], hook, status, error, bool(headers.get(SECRET_HEADER)))
        if reply:
            self._run_reply(reply)

    def _settle(
        self, update_id: int, hook: dict, status: int | None, error: str | None, secret: bool
    ) -> None:
        """Record the attempt; drop the update on success or when retries run out."""
        with self.state.cond:
            attempt = self._attempts.get(update_id, 0) + 1
            self._attempts[update_id] = attempt
            given_up = error is not None and attempt > len(self.retry_delays)
            self.state.deliveries.append(
                {
                    "update_id": update_id,
                    "url": hook["url"],
                    "attempt": attempt,
                    "status": status,
                    "error": error,
                    "secret_token_sent": secret,
                    "given_up": given_up,
                    "at": time.time(),
                }
            )
            if error is None or given_up:
                self.state.pending = [u for u in self.state.pending if u["update_id"] != update_id]
                self._not_before = 0.0
            else:
                self._not_before = time.monotonic() + self.retry_delays[attempt - 1]
            if error:
                self.state.webhook_error = (int(time.time()), error)
            self.state.cond.notify_all()

    def _run_reply(self, reply: dict[str, Any]) -> None:
        """A webhook may reply with one Bot API call; Telegram runs it and ignores errors."""
        method = str(reply.pop("method", ""))
        try:
            self.run_method(method, reply)
        except Exception:  # noqa: BLE001 - Telegram gives the bot no feedback here either
            pass


def _method_call(response: httpx.Response) -> dict[str, Any] | None:
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) and body.get("method") else None
