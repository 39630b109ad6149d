"""Bot API methods that hand updates to the bot: getUpdates long polling and webhooks."""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass
from typing import Any

from bitten.local.telegram.checks import as_bool, as_json, bad
from bitten.local.telegram.methods import Method
from bitten.local.telegram.state import ApiError, BotState

MAX_POLL_SECONDS = 50
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass
class DescribedResult:
    """A result that Telegram sends with a human description ("Webhook was set")."""

    result: Any
    description: str


def _kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def visible_updates(state: BotState) -> list[dict[str, Any]]:
    """Pending updates the bot asked for (allowed_updates filters by kind)."""
    allowed = state.webhook.get("allowed_updates") if state.webhook else state.allowed_updates
    return [u for u in state.pending if not allowed or _kind(u) in allowed]


def _confirm(state: BotState, offset: int) -> None:
    """An offset confirms (forgets) every update below it; a negative one keeps the last -offset."""
    if offset > 0:
        state.pending = [u for u in state.pending if u["update_id"] >= offset]
    elif offset < 0:
        state.pending = state.pending[offset:]


def get_updates(state: BotState, params: dict[str, Any]) -> list[dict[str, Any]]:
    """getUpdates: confirm by offset, then wait up to `timeout` seconds for new updates."""
    limit = min(max(int(params.get("limit") or 100), 1), 100)
    wait = min(max(float(params.get("timeout") or 0), 0.0), MAX_POLL_SECONDS)
    allowed = as_json(params, "allowed_updates", "allowed updates")
    with state.cond:
        if state.webhook:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if allowed is not None:
            state.allowed_updates = allowed
        _confirm(state, int(params.get("offset") or 0))
        state.poll_generation += 1
        generation = state.poll_generation
        state.cond.notify_all()
        deadline = time.monotonic() + wait
        while not visible_updates(state) and not state.stopped and time.monotonic() < deadline:
            state.cond.wait(deadline - time.monotonic())
            if state.poll_generation != generation:
                raise ApiError(409, POLL_CONFLICT)
            if state.webhook:
                raise ApiError(409, WEBHOOK_CONFLICT)
        return copy.deepcopy(visible_updates(state)[:limit])


def set_webhook(state: BotState, params: dict[str, Any]) -> DescribedResult:
    """setWebhook: http(s) URL (http allowed locally) and an optional secret_token header."""
    url = params.get("url") or ""
    if not url:
        return delete_webhook(state, params)
    if not url.startswith(("http://", "https://")):
        raise bad("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.match(str(secret)):
        raise bad("secret token contains unallowed characters")
    with state.cond:
        already = bool(state.webhook and state.webhook["url"] == url)
        if as_bool(params, "drop_pending_updates"):
            state.pending.clear()
        state.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": int(params.get("max_connections") or 40),
            "allowed_updates": as_json(params, "allowed_updates", "allowed updates"),
        }
        state.webhook_error = None
        state.cond.notify_all()
    return DescribedResult(True, "Webhook is already set" if already else "Webhook was set")


def delete_webhook(state: BotState, params: dict[str, Any]) -> DescribedResult:
    with state.cond:
        had = state.webhook is not None
        state.webhook = None
        if as_bool(params, "drop_pending_updates"):
            state.pending.clear()
        state.cond.notify_all()
    return DescribedResult(True, "Webhook was deleted" if had else "Webhook is already deleted")


def get_webhook_info(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    with state.cond:
        hook = state.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(state.pending),
        }
        if hook:
            info["max_connections"] = hook["max_connections"]
            if hook.get("allowed_updates"):
                info["allowed_updates"] = hook["allowed_updates"]
        if state.webhook_error:
            info["last_error_date"], info["last_error_message"] = state.webhook_error
        return info


UPDATE_METHODS: dict[str, Method] = {
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
}
