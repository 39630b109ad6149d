"""In-memory state of the Bot API emulator: chats, messages, updates, callback answers."""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bitten.local.telegram.limits import TelegramLimits


class ApiError(Exception):
    """A Bot API failure, shaped like Telegram's error envelope."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class EmulatorError(ValueError):
    """A script asked for something a real user could not do (press a missing button)."""


def clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (what every Bot API object is); faster than deepcopy."""
    return json.loads(json.dumps(value))


def chat_not_found() -> ApiError:
    return ApiError(400, "Bad Request: chat not found")


class BotState:
    """Everything the emulated Telegram server knows; every access holds `cond`."""

    def __init__(self, bot_id: int, bot_username: str, bot_name: str):
        self.cond = threading.Condition(threading.RLock())
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.last_ids: dict[int, int] = {}
        self.sent_log: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_error: tuple[int, str] | None = None
        self.deliveries: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.injected: dict[str, list[ApiError]] = {}
        self.limits: TelegramLimits | None = None  # Telegram's flood limits (None: off)
        self.invoices: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, message) -> invoice
        self.pre_checkouts: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}  # telegram_payment_charge_id -> payment
        self.star_balance = 0  # Stars the bot earned (payments minus refunds)
        self.allowed_updates: list[str] | None = None
        self.poll_generation = 0
        self.stopped = False
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(4_382_000_000_000_000_001)

    def add_user(self, user_id: int, first_name: str, username: str | None) -> dict[str, Any]:
        """Register a Telegram user and the private chat they opened with the bot."""
        with self.cond:
            user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
            if username:
                user["username"] = username
            self.users[user_id] = user
            chat = {"id": user_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
            self.chats[user_id] = chat
            self.messages.setdefault(user_id, {})
            return copy.deepcopy(user)

    def add_group(self, chat_id: int, title: str) -> dict[str, Any]:
        """Register a group (supergroup when the id starts with -100, as Telegram numbers them)."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        with self.cond:
            self.chats[chat_id] = {"id": chat_id, "type": kind, "title": title}
            self.messages.setdefault(chat_id, {})
            return copy.deepcopy(self.chats[chat_id])

    def chat(self, chat_id: int) -> dict[str, Any]:
        """The chat the bot may write to, or Telegram's 400/403."""
        if chat_id not in self.chats:
            raise chat_not_found()
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self.chats[chat_id]

    def admit(self, chat: dict[str, Any], paid: bool = False, edit: bool = False) -> None:
        """Count one message (or an edit: overall only) against the flood limits (429 when over)."""
        if self.limits is not None:
            self.limits.admit(chat["id"], chat["type"] == "private", paid, edit)

    def user(self, user_id: int) -> dict[str, Any]:
        if user_id not in self.users:
            raise EmulatorError(f"unknown user {user_id}: register it with emulator.user(...)")
        return self.users[user_id]

    def new_message(
        self, chat_id: int, sender: dict[str, Any], fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a message with the chat's next message_id (user and bot share the sequence)."""
        chat_messages = self.messages.setdefault(chat_id, {})
        message_id = max(self.last_ids.get(chat_id, 0), max(chat_messages, default=0)) + 1
        self.last_ids[chat_id] = message_id  # a deleted message's id is never given again
        message = {
            "message_id": message_id,
            "from": clone(sender),
            "chat": clone(self.chats[chat_id]),
        }
        message["date"] = int(time.time())
        message.update(fields)
        chat_messages[message_id] = message
        return message

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.messages.get(chat_id, {}).get(message_id)

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an Update for getUpdates or the webhook, with the next update_id."""
        with self.cond:
            update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
            self.pending.append(update)
            self.history.append(update)
            self.cond.notify_all()
            return copy.deepcopy(update)

    def new_callback_id(self) -> str:
        return str(next(self._callback_ids))

    def record_sent(self, method: str, params: dict[str, Any], message: dict[str, Any]) -> None:
        """Log what the bot did to a message, with a snapshot of the message after it."""
        self.sent_log.append(
            {
                "method": method,
                "chat_id": message["chat"]["id"],
                "message_id": message["message_id"],
                "params": clone(params),
                "message": clone(message),
                "at": time.time(),
            }
        )

    def take_injected(self, method: str) -> ApiError | None:
        """Pop one scripted failure for this method (flood control, outages) if any."""
        with self.cond:
            queued = self.injected.get(method.lower())
            return queued.pop(0) if queued else None
