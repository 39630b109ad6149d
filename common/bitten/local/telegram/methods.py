"""Bot API methods about messages, callback queries and commands."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from typing import Any

from bitten.local.telegram.checks import (
    MAX_ANSWER_TEXT,
    as_bool,
    as_int,
    as_json,
    bad,
    chat_id_of,
    inline_markup,
    message_text,
)
from bitten.local.telegram.state import BotState, clone

Method = Callable[[BotState, dict[str, Any]], Any]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def get_me(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    return {**state.bot_user, "can_join_groups": True, "supports_inline_queries": False}


def reply_to(state: BotState, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
    """The message replied to (reply_parameters or the older reply_to_message_id)."""
    wanted = (as_json(params, "reply_parameters", "reply parameters") or {}).get(
        "message_id", params.get("reply_to_message_id")
    )
    if wanted in (None, ""):
        return None
    replied = state.message(chat_id, int(wanted))
    if replied is None:
        raise bad("message to be replied not found")
    return copy.deepcopy(replied)


def send_message(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    """sendMessage: validate like Telegram, pass the flood limits, store, record, return."""
    with state.cond:
        chat = state.chat(chat_id_of(params))
        text, entities = message_text(params)
        markup = inline_markup(params, chat["type"])
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        if markup:
            fields["reply_markup"] = markup
        replied = reply_to(state, chat["id"], params)
        if replied:
            fields["reply_to_message"] = replied
        state.admit(chat, paid=as_bool(params, "allow_paid_broadcast"))
        message = state.new_message(chat["id"], state.bot_user, fields)
        state.record_sent("sendMessage", params, message)
        return clone(message)


def _own_message(state: BotState, params: dict[str, Any], verb: str) -> dict[str, Any]:
    if params.get("inline_message_id"):
        raise bad("MESSAGE_ID_INVALID")
    chat = state.chat(chat_id_of(params))
    message = state.message(chat["id"], as_int(params, "message_id"))
    if message is None:
        raise bad(f"message to {verb} not found")
    if message["from"]["id"] != state.bot_user["id"]:
        raise bad(f"message can't be {verb}ed")
    return message


def _apply_edit(state: BotState, method: str, params: dict, message: dict, fields: dict) -> dict:
    """Replace fields (a missing reply_markup removes the keyboard, as on Telegram)."""
    keys = ("text", "entities", "reply_markup")
    before = {k: message.get(k) for k in keys}
    after = {k: fields[k] if k in fields else before[k] for k in keys}
    if after == before:
        raise bad(NOT_MODIFIED)
    for key, value in after.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(time.time())
    state.record_sent(method, params, message)
    return copy.deepcopy(message)


def edit_message_text(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    with state.cond:
        message = _own_message(state, params, "edit")
        text, entities = message_text(params)
        markup = inline_markup(params, message["chat"]["type"])
        fields: dict[str, Any] = {"text": text, "entities": entities or None}
        fields["reply_markup"] = markup
        state.admit(message["chat"], edit=True)
        return _apply_edit(state, "editMessageText", params, message, fields)


def edit_message_reply_markup(state: BotState, params: dict[str, Any]) -> dict[str, Any]:
    with state.cond:
        message = _own_message(state, params, "edit")
        fields = {"reply_markup": inline_markup(params, message["chat"]["type"])}
        state.admit(message["chat"], edit=True)
        return _apply_edit(state, "editMessageReplyMarkup", params, message, fields)


def delete_message(state: BotState, params: dict[str, Any]) -> bool:
    with state.cond:
        chat = state.chat(chat_id_of(params))
        message_id = as_int(params, "message_id")
        if state.messages[chat["id"]].pop(message_id, None) is None:
            raise bad("message to delete not found")
        state.sent_log.append(
            {"method": "deleteMessage", "chat_id": chat["id"], "message_id": message_id}
        )
        return True


def answer_callback_query(state: BotState, params: dict[str, Any]) -> bool:
    """answerCallbackQuery: once per query id, text up to 200 characters."""
    with state.cond:
        query = state.callbacks.get(str(params.get("callback_query_id") or ""))
        if query is None or query["answer"] is not None:
            raise bad(QUERY_INVALID)
        text = params.get("text") or ""
        if len(text) > MAX_ANSWER_TEXT:
            raise bad("MESSAGE_TOO_LONG")
        query["answer"] = {
            "text": text,
            "show_alert": as_bool(params, "show_alert"),
            "url": params.get("url"),
            "cache_time": int(params.get("cache_time") or 0),
            "answered_at": time.time(),
        }
        return True


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = as_json(params, "scope", "scope") or {"type": "default"}
    return scope.get("type", "default"), params.get("language_code") or ""


def set_my_commands(state: BotState, params: dict[str, Any]) -> bool:
    commands = as_json(params, "commands", "commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("can't parse commands JSON object")
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND.match(str(item.get("command", ""))):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", ""))) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
    with state.cond:
        state.commands[_scope_key(params)] = commands
    return True


def get_my_commands(state: BotState, params: dict[str, Any]) -> list[dict[str, Any]]:
    with state.cond:
        return copy.deepcopy(state.commands.get(_scope_key(params), []))


def delete_my_commands(state: BotState, params: dict[str, Any]) -> bool:
    with state.cond:
        state.commands.pop(_scope_key(params), None)
    return True


def send_chat_action(state: BotState, params: dict[str, Any]) -> bool:
    with state.cond:
        state.chat(chat_id_of(params))
    return True


MESSAGE_METHODS: dict[str, Method] = {
    "getme": get_me,
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "sendchataction": send_chat_action,
}
