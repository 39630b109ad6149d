"""The emulator's script routes (/emulator/...): act as a user, register chats, read records."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bitten.local.telegram.emulator import TelegramEmulator

NOT_FOUND = object()
_USER_ROUTE = re.compile(r"^/emulator/users/(-?\d+)/(text|press|pay|webapp)$")
_CHAT_ROUTE = re.compile(r"^/emulator/chats/(-?\d+)/messages$")
_CALLBACK_ROUTE = re.compile(r"^/emulator/callbacks/([^/]+)$")


def _ensure_user(emulator: TelegramEmulator, user_id: int, params: dict[str, Any]) -> None:
    if user_id not in emulator.state.users:
        emulator.user(
            user_id, params.get("first_name") or f"User {user_id}", params.get("username")
        )


def _user_action(
    emulator: TelegramEmulator, user_id: int, action: str, params: dict[str, Any]
) -> Any:
    _ensure_user(emulator, user_id, params)
    chat_id = int(params["chat_id"]) if params.get("chat_id") else None
    if action == "text":
        return emulator.send_text(user_id, str(params["text"]), chat_id=chat_id)
    if action == "pay":
        return emulator.pay(user_id, int(params["message_id"]))
    if action == "webapp":
        return emulator.open_web_app(user_id, int(params["message_id"]), params.get("text"))
    update = emulator.press_update(
        user_id, int(params["message_id"]), str(params["data"]), chat_id=chat_id
    )
    return {"callback_query_id": update["callback_query"]["id"], "update_id": update["update_id"]}


def route_script(emulator: TelegramEmulator, verb: str, path: str, params: dict[str, Any]) -> Any:
    """The /emulator routes: act as a user, register chats, read what the bot did."""
    if verb == "POST" and (match := _USER_ROUTE.match(path)):
        return _user_action(emulator, int(match.group(1)), match.group(2), params)
    if verb == "GET" and (match := _CHAT_ROUTE.match(path)):
        return emulator.messages_in(int(match.group(1)))
    if verb == "GET" and (match := _CALLBACK_ROUTE.match(path)):
        return {"callback_query_id": match.group(1), "answer": emulator.answer_for(match.group(1))}
    if verb == "POST" and path == "/emulator/users" and "count" in params:
        return emulator.users(int(params["first_id"]), int(params["count"]))
    if verb == "POST" and path == "/emulator/users":
        return emulator.user(
            int(params["id"]), params.get("first_name") or "User", params.get("username")
        )
    if verb == "GET" and path == "/emulator/stats":
        return emulator.stats()
    if verb == "POST" and path == "/emulator/groups":
        return emulator.group(int(params["id"]), str(params.get("title") or "Group"))
    if verb == "GET" and path in (
        "/emulator",
        "/emulator/sent",
        "/emulator/updates",
        "/emulator/deliveries",
    ):
        return _read_route(emulator, path, params)
    return NOT_FOUND


def _read_route(emulator: TelegramEmulator, path: str, params: dict[str, Any]) -> Any:
    if path == "/emulator/sent":
        return emulator.sent(int(params["chat_id"]) if params.get("chat_id") else None)
    if path == "/emulator/updates":
        return emulator.updates()
    if path == "/emulator/deliveries":
        return emulator.deliveries()
    return emulator.summary()
