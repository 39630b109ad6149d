"""Long polling (getUpdates) that feeds the same update handler the webhook uses."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import httpx

from bitten.adapters.telegram import TELEGRAM_BOT_API

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0


def bot_method_url(base_url: str | None, token: str, method: str) -> str:
    """PTB-style base ("https://api.telegram.org/bot", or containing "{token}") -> method URL."""
    base = base_url or TELEGRAM_BOT_API
    if "{token}" in base:
        return f"{base.format(token=token)}/{method}"
    return f"{base}{token}/{method}"


def _api(client: httpx.Client, url: str, body: dict[str, Any], timeout: float) -> Any:
    """POST one Bot API call; return `result` or raise RuntimeError with Telegram's description."""
    response = client.post(url, json=body, timeout=timeout)
    envelope = response.json()
    if not envelope.get("ok"):
        raise RuntimeError(f"{envelope.get('error_code')}: {envelope.get('description')}")
    return envelope["result"]


def _feed(updates: list[dict[str, Any]], handle_update: Callable[[dict], None], offset: int) -> int:
    """Hand each update to the handler; a failing update is logged and skipped, never re-polled."""
    for update in updates:
        try:
            handle_update(update)
        except Exception:
            log.exception("update handler failed", extra={"update_id": update.get("update_id")})
        offset = max(offset, int(update["update_id"]) + 1)
    return offset


def poll_updates(
    token: str,
    base_url: str | None,
    handle_update: Callable[[dict], None],
    stop_event: threading.Event,
    timeout: int = 25,
    *,
    allowed_updates: list[str] | None = None,
    delete_webhook: bool = True,
) -> int:
    """Long-poll getUpdates until stop_event is set; return the next offset (last update_id + 1).

    The offset confirms updates to Telegram, so each update reaches the handler once per run.
    A stop waits for the current long poll to return (at most `timeout` seconds).
    """
    url = bot_method_url(base_url, token, "getUpdates")
    offset, backoff = 0, 1.0
    with httpx.Client() as client:
        if delete_webhook:  # getUpdates answers 409 while a webhook is set
            _api(client, bot_method_url(base_url, token, "deleteWebhook"), {}, 10.0)
        while not stop_event.is_set():
            body: dict[str, Any] = {"offset": offset, "timeout": timeout}
            if allowed_updates is not None:
                body["allowed_updates"] = allowed_updates
            try:
                updates = _api(client, url, body, timeout + 10.0)
            except (httpx.HTTPError, ValueError, RuntimeError) as exc:
                log.warning("getUpdates failed, retrying in %.0fs: %s", backoff, exc)
                stop_event.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            offset = _feed(updates, handle_update, offset)
        _confirm(client, url, offset)
    return offset


def _confirm(client: httpx.Client, url: str, offset: int) -> None:
    """Tell Telegram the last batch was handled, so a restart does not see it again."""
    if offset:
        try:
            _api(client, url, {"offset": offset, "timeout": 0, "limit": 1}, 10.0)
        except (httpx.HTTPError, ValueError, RuntimeError) as exc:
            log.warning("could not confirm offset %s: %s", offset, exc)
