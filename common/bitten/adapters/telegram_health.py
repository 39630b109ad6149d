"""The Bot API's getMe as a health probe (cheap, no message sent, no rate lane used)."""

from __future__ import annotations

import httpx

from bitten.adapters.telegram import TELEGRAM_BOT_API


def telegram_ping(token: str, base_url: str | None = None, timeout: float = 3.0) -> str:
    """The bot's @username; raises when the Bot API does not answer ok for this token."""
    reply = httpx.get(f"{base_url or TELEGRAM_BOT_API}{token}/getMe", timeout=timeout)
    is_json = reply.headers.get("content-type", "").startswith("application/json")
    body = reply.json() if is_json else {}
    if reply.status_code != 200 or not body.get("ok"):
        raise RuntimeError(f"getMe answered {reply.status_code}: {body.get('description', '')}")
    return str(body["result"].get("username", ""))
