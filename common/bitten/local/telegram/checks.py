"""Parameter coercion and the Bot API's validation rules, with Telegram's error descriptions."""

from __future__ import annotations

import json
from typing import Any

from bitten.local.telegram.html import parse_html
from bitten.local.telegram.state import ApiError

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
BUTTON_KINDS = ("callback_data", "url", "web_app", "login_url", "switch_inline_query", "pay")


def bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def as_int(params: dict[str, Any], name: str, default: int | None = None) -> int:
    """An integer field; form bodies send numbers as strings."""
    value = params.get(name, default)
    if value is None or value == "":
        raise bad(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad(f'field "{name}" must be of type Integer') from None


def as_bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name, False)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def as_json(params: dict[str, Any], name: str, what: str) -> Any:
    """A structured field: already decoded (JSON body) or a JSON string (form body)."""
    value = params.get(name)
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise bad(f"can't parse {what} JSON object") from None


def chat_id_of(params: dict[str, Any]) -> int:
    """chat_id as an int; @usernames are not resolvable in the emulator."""
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad("chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad("chat not found") from None


def message_text(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(text as shown, entities) after parse_mode, or Telegram's text errors."""
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad("message text is empty")
    mode = params.get("parse_mode") or ""
    if mode and mode not in ("HTML", "Markdown", "MarkdownV2"):
        raise bad("unsupported parse_mode")
    plain, entities = parse_html(text) if mode == "HTML" else (text, [])
    if not plain.strip():
        raise bad("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad("message is too long")
    return plain, entities


def _check_button(button: Any, chat_type: str) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not button["text"]:
        raise bad("BUTTON_TEXT_INVALID")
    kinds = [k for k in BUTTON_KINDS if k in button]
    if len(kinds) != 1:
        raise bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if kinds[0] == "callback_data":
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
            raise bad("BUTTON_DATA_INVALID")
    if kinds[0] == "url" and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad(f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL")
    if kinds[0] == "web_app":
        url = (
            (button["web_app"] or {}).get("url", "") if isinstance(button["web_app"], dict) else ""
        )
        if not url.startswith(("http://", "https://")):
            raise bad("BUTTON_URL_INVALID")
        if chat_type != "private":
            raise bad("BUTTON_TYPE_INVALID")


def inline_markup(params: dict[str, Any], chat_type: str) -> dict[str, Any] | None:
    """The validated InlineKeyboardMarkup, or None when the request has none."""
    markup = as_json(params, "reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboards and force_reply pass through unchecked
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button, chat_type)
    return {"inline_keyboard": rows}


def has_callback_button(message: dict[str, Any], data: str) -> bool:
    """Whether a message's inline keyboard carries a button with this callback_data."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return any(button.get("callback_data") == data for row in rows for button in row)


_JSON_FIELDS = (
    "reply_markup",
    "commands",
    "allowed_updates",
    "scope",
    "entities",
    "link_preview_options",
    "reply_parameters",
    "prices",
)
_INT_FIELDS = (
    "message_id",
    "offset",
    "limit",
    "timeout",
    "max_connections",
    "cache_time",
    "user_id",
    "reply_to_message_id",
)


def normalize(params: dict[str, Any]) -> dict[str, Any]:
    """Decode form-encoded values (PTB sends JSON strings and numbers as text) where unambiguous."""
    out = dict(params)
    for name in _JSON_FIELDS:
        if isinstance(out.get(name), str) and out[name][:1] in ("{", "["):
            out[name] = as_json(out, name, name.replace("_", " "))
    for name in ("chat_id", *_INT_FIELDS):
        if isinstance(out.get(name), str) and out[name].lstrip("-").isdigit():
            out[name] = int(out[name])
    return out
