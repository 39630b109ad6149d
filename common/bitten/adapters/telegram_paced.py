"""PacedNotifier: any notifier, sending only when Telegram's limits allow (a shared SendPacer).

Slots are reserved for a whole batch at once, then each message waits for its own slot. An
urgent message (reply, alert) queues; a result or broadcast is refused while alerts are
queued and tried again for up to `low_priority_wait` seconds (then reported busy: the caller
keeps it for later, execution is never held up); an alert that could only go
after its mission expired is not sent at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from bitten.adapters.telegram import NotifierError
from bitten.domain.pacing import Priority, Slot, SlotRequest
from bitten.ports import Button, Delivery, Invoice, Outgoing, SendPacer

RETRY_BUSY_EVERY = 0.25


class RawNotifier(Protocol):
    """What PacedNotifier paces: a notifier that sends an Outgoing as told."""

    def send(self, message: Outgoing) -> int: ...
    def deliver_at(self, timed: list[tuple[float, Outgoing]]) -> list[Delivery]: ...
    def edit_message(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: list[list[Button]] | None = None,
        priority: Priority = Priority.RESULT,
        html: bool = False,
    ) -> None: ...
    def delete_message(self, chat_id: int, message_id: int) -> None: ...
    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None: ...
    def send_invoice(self, chat_id: int, invoice: Invoice) -> int: ...
    def answer_pre_checkout(self, query_id: str, error: str | None = None) -> None: ...
    def refund_stars(self, user_id: int, charge_id: str) -> None: ...
    def set_commands(self, commands: dict[str, str]) -> None: ...


def slot_request(message: Outgoing) -> SlotRequest:
    return SlotRequest(
        chat_id=message.chat_id,
        priority=message.priority,
        paid=message.paid_broadcast,
        max_delay=message.max_delay,
    )


class PacedNotifier:
    def __init__(
        self,
        inner: RawNotifier,
        pacer: SendPacer,
        *,
        low_priority_wait: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner, self.pacer = inner, pacer
        self.low_priority_wait = low_priority_wait
        self._sleep, self._monotonic = sleep, monotonic

    def send_message(
        self, chat_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> int:
        """An answer to a person (REPLY priority); NotifierError when it could not go."""
        return self._one(Outgoing(chat_id=chat_id, text=text, buttons=buttons), "sendMessage")

    def send(self, message: Outgoing) -> int:
        return self._one(message, "sendMessage")

    def deliver(self, messages: list[Outgoing]) -> list[Delivery]:
        """Send each when its slot comes; report what became of every one, in order."""
        results: dict[int, Delivery] = {}
        pending = list(range(len(messages)))
        give_up = self._monotonic() + self.low_priority_wait
        while pending:
            asked = self._monotonic()
            slots = self.pacer.reserve([slot_request(messages[i]) for i in pending])
            started = (asked + self._monotonic()) / 2  # the lanes' clock read mid-call
            granted = [
                (i, started + s.delay) for i, s in zip(pending, slots, strict=True) if not s.refused
            ]
            busy = []
            for i, slot in zip(pending, slots, strict=True):
                if slot.refused == "busy" and self._monotonic() < give_up:
                    busy.append(i)
                elif slot.refused:
                    results[i] = _refusal(slot)
            sent = self.inner.deliver_at([(when, messages[i]) for i, when in granted])
            results |= {i: d for (i, _), d in zip(granted, sent, strict=True)}
            if busy:
                self._sleep(RETRY_BUSY_EVERY)
            pending = busy
        return [results[i] for i in range(len(messages))]

    def edit_message(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: list[list[Button]] | None = None,
        priority: Priority = Priority.RESULT,
        html: bool = False,
    ) -> None:
        """Edit when the chat's and the broadcast lane allow; NotifierError if deferred."""
        request = SlotRequest(chat_id=chat_id, priority=priority, edit=True)
        self._wait_for_slot(request, "editMessageText")
        self.inner.edit_message(chat_id, message_id, text, buttons, priority, html)

    def delete_message(self, chat_id: int, message_id: int) -> None:
        self.inner.delete_message(chat_id, message_id)

    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None:
        self.inner.answer_callback(callback_query_id, text, alert)

    def send_invoice(self, chat_id: int, invoice: Invoice) -> int:
        self._wait_for_slot(SlotRequest(chat_id=chat_id), "sendInvoice")
        return self.inner.send_invoice(chat_id, invoice)

    def answer_pre_checkout(self, query_id: str, error: str | None = None) -> None:
        self.inner.answer_pre_checkout(query_id, error)

    def refund_stars(self, user_id: int, charge_id: str) -> None:
        self.inner.refund_stars(user_id, charge_id)

    def set_commands(self, commands: dict[str, str]) -> None:
        self.inner.set_commands(commands)

    def _one(self, message: Outgoing, method: str) -> int:
        (delivery,) = self.deliver([message])
        if delivery.message_id is None:
            raise NotifierError(
                method,
                delivery.detail or f"not sent: {delivery.status}",
                blocked=delivery.status == "blocked",
                retryable=delivery.status in ("busy", "flood"),
            )
        return delivery.message_id

    def _wait_for_slot(self, request: SlotRequest, method: str) -> None:
        give_up = self._monotonic() + self.low_priority_wait
        while True:
            asked = self._monotonic()
            (slot,) = self.pacer.reserve([request])
            started = (asked + self._monotonic()) / 2
            if slot.refused is None:
                self._wait_until(started + slot.delay)
                return
            if self._monotonic() >= give_up:
                raise NotifierError(method, "deferred: fresh alerts go first", retryable=True)
            self._sleep(RETRY_BUSY_EVERY)

    def _wait_until(self, when: float) -> None:
        left = when - self._monotonic()
        if left > 0:
            self._sleep(left)


def _refusal(slot: Slot) -> Delivery:
    if slot.refused == "late":
        return Delivery(status="late", detail=f"the next slot was {slot.delay:.1f}s away")
    return Delivery(status="busy", detail="fresh alerts went first; try again later")
