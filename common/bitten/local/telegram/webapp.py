"""Opening a Mini App as Telegram does: the page URL with signed initData in its fragment."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import quote, urlencode

from bitten.local.telegram.state import BotState, EmulatorError

THEME = {  # Telegram's dark theme, as tgWebAppThemeParams carries it
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


def init_data(token: str, user: dict[str, Any], auth_date: int | None = None) -> str:
    """initData signed per Telegram's spec: HMAC-SHA256 keyed by HMAC('WebAppData', token)."""
    fields = {
        "query_id": f"AAE{user['id']}",
        "user": json.dumps(user, separators=(",", ":")),
        "auth_date": str(int(auth_date if auth_date is not None else time.time())),
    }
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def web_app_url(state: BotState, user_id: int, message_id: int, text: str | None) -> str:
    """The URL of a web_app button on a message in the user's chat (first one, or by text)."""
    message = state.message(user_id, message_id)
    rows = ((message or {}).get("reply_markup") or {}).get("inline_keyboard") or []
    for button in (b for row in rows for b in row if "web_app" in b):
        if text is None or button["text"] == text:
            return str(button["web_app"]["url"])
    raise EmulatorError(f"no web_app button {text or ''!r} on message {message_id}".strip())


def launch_url(page: str, signed: str) -> str:
    """What the Telegram client loads: tgWebAppData, version, platform and theme in the hash."""
    fragment = urlencode(
        {
            "tgWebAppData": signed,
            "tgWebAppVersion": "8.0",
            "tgWebAppPlatform": "emulator",
            "tgWebAppThemeParams": json.dumps(THEME, separators=(",", ":")),
        },
        quote_via=quote,
    )
    return f"{page}#{fragment}"
