"""The emulator's record, read side: what the bot sent, answered, and what users did."""

from __future__ import annotations

import copy
import time
from typing import Any

from bitten.local.telegram.state import BotState


class EmulatorRecord:
    """Read-only views over BotState, each a deep copy taken under the lock."""

    state: BotState

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """What the bot did, oldest first: {method, chat_id, message_id, params, message}."""
        with self.state.cond:
            return copy.deepcopy(
                [s for s in self.state.sent_log if chat_id is None or s["chat_id"] == chat_id]
            )

    def messages_in(self, chat_id: int, after: int = 0) -> list[dict[str, Any]]:
        """The chat as a user sees it now (edits applied, deletions gone), by message_id;
        only the messages after message id `after` when given (a poller's new ones)."""
        with self.state.cond:
            messages = self.state.messages.get(chat_id, {})
            return copy.deepcopy([messages[k] for k in sorted(messages) if k > after])

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        with self.state.cond:
            return copy.deepcopy(self.state.message(chat_id, message_id))

    def answer_for(self, callback_query_id: str) -> dict[str, Any] | None:
        """What the bot answered to a callback query ({text, show_alert, url, ...}) or None yet."""
        with self.state.cond:
            entry = self.state.callbacks.get(str(callback_query_id))
            return copy.deepcopy(entry["answer"]) if entry else None

    def updates(self) -> list[dict[str, Any]]:
        """Every Update created, delivered or not."""
        with self.state.cond:
            return copy.deepcopy(self.state.history)

    def pending_updates(self) -> list[dict[str, Any]]:
        with self.state.cond:
            return copy.deepcopy(self.state.pending)

    def deliveries(self) -> list[dict[str, Any]]:
        """Webhook attempts: {update_id, url, attempt, status, error, given_up, ...}."""
        with self.state.cond:
            return copy.deepcopy(self.state.deliveries)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Every Bot API HTTP call with its status and response envelope."""
        with self.state.cond:
            return copy.deepcopy(
                [
                    c
                    for c in self.state.calls
                    if method is None or c["method"].lower() == method.lower()
                ]
            )

    def webhook(self) -> dict[str, Any] | None:
        with self.state.cond:
            return copy.deepcopy(self.state.webhook)

    def commands(self, scope: str = "default", language_code: str = "") -> list[dict[str, Any]]:
        with self.state.cond:
            return copy.deepcopy(self.state.commands.get((scope, language_code), []))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until no update is pending (webhook delivered or polled); False on timeout."""
        deadline = time.monotonic() + timeout
        with self.state.cond:
            while self.state.pending and time.monotonic() < deadline:
                self.state.cond.wait(deadline - time.monotonic())
            return not self.state.pending

    def summary(self) -> dict[str, Any]:
        with self.state.cond:
            return {
                "bot": copy.deepcopy(self.state.bot_user),
                "chats": copy.deepcopy(list(self.state.chats.values())),
                "webhook": copy.deepcopy(self.state.webhook),
                "pending_update_count": len(self.state.pending),
            }
