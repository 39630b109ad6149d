"""RecordingNotifier: an in-memory Notifier for unit tests (no HTTP, no python-telegram-bot)."""

from __future__ import annotations

import threading
from typing import Any

from bitten.adapters.telegram import NotifierError
from bitten.ports import Button

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200


def _check_buttons(method: str, buttons: list[list[Button]] | None) -> None:
    for row in buttons or []:
        for button in row:
            if (
                button.callback_data is not None
                and not 1 <= len(button.callback_data.encode()) <= MAX_CALLBACK_DATA
            ):
                raise NotifierError(method, "BUTTON_DATA_INVALID")


def _check_text(method: str, text: str) -> None:
    if not text.strip():
        raise NotifierError(method, "Message text is empty")
    if len(text) > MAX_TEXT:
        raise NotifierError(method, "Message is too long")


class RecordingNotifier:
    """Records every call; message_ids count up per chat; enforces Telegram's limits."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.edits: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self._last_id: dict[int, int] = {}
        self._failures: list[NotifierError] = []
        self._lock = threading.Lock()

    def fail_next(self, error: NotifierError) -> None:
        """The next call raises `error` (e.g. NotifierError(..., blocked=True))."""
        with self._lock:
            self._failures.append(error)

    def send_message(
        self, chat_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> int:
        """Record the message and return its message_id."""
        self._maybe_fail()
        _check_text("sendMessage", text)
        _check_buttons("sendMessage", buttons)
        with self._lock:
            message_id = self._last_id.get(chat_id, 0) + 1
            self._last_id[chat_id] = message_id
            self.sent.append(
                {"chat_id": chat_id, "message_id": message_id, "text": text, "buttons": buttons}
            )
            return message_id

    def edit_message(
        self, chat_id: int, message_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> None:
        """Record the edit; editing a message never sent fails like Telegram."""
        self._maybe_fail()
        _check_text("editMessageText", text)
        _check_buttons("editMessageText", buttons)
        with self._lock:
            if message_id > self._last_id.get(chat_id, 0):
                raise NotifierError("editMessageText", "Message to edit not found")
            self.edits.append(
                {"chat_id": chat_id, "message_id": message_id, "text": text, "buttons": buttons}
            )

    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None:
        """Record the answer to a button press."""
        self._maybe_fail()
        if len(text) > MAX_ANSWER_TEXT:
            raise NotifierError("answerCallbackQuery", "Message_too_long")
        with self._lock:
            self.answers.append(
                {"callback_query_id": callback_query_id, "text": text, "alert": alert}
            )

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if m["chat_id"] == chat_id]

    def answer_for(self, callback_query_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next(
                (a for a in self.answers if a["callback_query_id"] == callback_query_id), None
            )

    def _maybe_fail(self) -> None:
        with self._lock:
            error = self._failures.pop(0) if self._failures else None
        if error:
            raise error
