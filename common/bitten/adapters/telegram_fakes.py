"""RecordingNotifier and InMemorySendPacer: in-memory Telegram for unit tests (no HTTP)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bitten.adapters.telegram import NotifierError, delivery_of
from bitten.domain.pacing import Priority, Slot, SlotRequest, place
from bitten.ports import Button, Delivery, Invoice, Outgoing

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
        self.deleted: list[tuple[int, int]] = []
        self.invoices: list[dict[str, Any]] = []
        self.pre_checkouts: dict[str, str | None] = {}
        self.refunds: list[tuple[int, str]] = []
        self.commands: dict[str, str] = {}
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
        return self.send(Outgoing(chat_id=chat_id, text=text, buttons=buttons))

    def send(self, message: Outgoing) -> int:
        self._maybe_fail()
        _check_text("sendMessage", message.text)
        _check_buttons("sendMessage", message.buttons)
        with self._lock:
            message_id = self._next_id(message.chat_id)
            self.sent.append(
                {
                    "chat_id": message.chat_id,
                    "message_id": message_id,
                    "text": message.text,
                    "buttons": message.buttons,
                    "priority": message.priority,
                    "paid": message.paid_broadcast,
                    "reply_to": message.reply_to,
                    "html": message.html,
                }
            )
            return message_id

    def deliver(self, messages: list[Outgoing]) -> list[Delivery]:
        return [delivery_of(partial(self.send, m)) for m in messages]

    def deliver_at(self, timed: list[tuple[float, Outgoing]]) -> list[Delivery]:
        """Each at once, without waiting (no clock of its own); the slot is kept as `at`."""
        out = []
        for when, message in timed:
            out.append(delivery_of(partial(self.send, message)))
            if out[-1].message_id is not None:
                self.sent[-1]["at"] = when
        return out

    def edit_message(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: list[list[Button]] | None = None,
        priority: Priority = Priority.RESULT,
        html: bool = False,
    ) -> None:
        """Record the edit; editing a message never sent fails like Telegram."""
        self._maybe_fail()
        _check_text("editMessageText", text)
        _check_buttons("editMessageText", buttons)
        with self._lock:
            if message_id > self._last_id.get(chat_id, 0):
                raise NotifierError("editMessageText", "Message to edit not found")
            self.edits.append(
                {
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "text": text,
                    "buttons": buttons,
                    "html": html,
                }
            )

    def delete_message(self, chat_id: int, message_id: int) -> None:
        self._maybe_fail()
        with self._lock:
            self.deleted.append((chat_id, message_id))

    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None:
        """Record the answer to a button press."""
        self._maybe_fail()
        if len(text) > MAX_ANSWER_TEXT:
            raise NotifierError("answerCallbackQuery", "Message_too_long")
        with self._lock:
            self.answers.append(
                {"callback_query_id": callback_query_id, "text": text, "alert": alert}
            )

    def send_invoice(self, chat_id: int, invoice: Invoice) -> int:
        self._maybe_fail()
        with self._lock:
            message_id = self._next_id(chat_id)
            self.invoices.append({"chat_id": chat_id, "message_id": message_id, **dict(invoice)})
            return message_id

    def answer_pre_checkout(self, query_id: str, error: str | None = None) -> None:
        self._maybe_fail()
        with self._lock:
            self.pre_checkouts[query_id] = error

    def refund_stars(self, user_id: int, charge_id: str) -> None:
        self._maybe_fail()
        with self._lock:
            self.refunds.append((user_id, charge_id))

    def set_commands(self, commands: dict[str, str]) -> None:
        self.commands = dict(commands)

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if m["chat_id"] == chat_id]

    def edits_of(self, chat_id: int, message_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [
                e for e in self.edits if e["chat_id"] == chat_id and e["message_id"] == message_id
            ]

    def answer_for(self, callback_query_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next(
                (a for a in self.answers if a["callback_query_id"] == callback_query_id), None
            )

    def _next_id(self, chat_id: int) -> int:
        message_id = self._last_id.get(chat_id, 0) + 1
        self._last_id[chat_id] = message_id
        return message_id

    def _maybe_fail(self) -> None:
        with self._lock:
            error = self._failures.pop(0) if self._failures else None
        if error:
            raise error


class InMemorySendPacer:
    """The GCRA lanes of bitten.domain.pacing in one process (tests, single-process tools)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tats: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests: list[SlotRequest] = []

    def reserve(self, requests: list[SlotRequest]) -> list[Slot]:
        with self._lock:
            self.requests.extend(requests)
            now = self._clock()
            return [place(r, self._tats, now) for r in requests]
