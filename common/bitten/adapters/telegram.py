"""PtbNotifier: the Notifier port over python-telegram-bot, usable from sync code and threads."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from bitten.adapters.telegram_ptb import (
    LoopThread,
    NotifierError,
    call_waiting_out_floods,
    delivery_of,
    inline_keyboard,
    send_kwargs,
    send_timed,
)
from bitten.domain.pacing import Priority
from bitten.ports import Button, Delivery, Invoice, Outgoing

if TYPE_CHECKING:
    from telegram import Bot

__all__ = ["TELEGRAM_BOT_API", "NotifierError", "PtbNotifier", "delivery_of"]
T = TypeVar("T")
TELEGRAM_BOT_API = "https://api.telegram.org/bot"


class PtbNotifier:
    """Notifier over telegram.Bot; base_url=f"{emulator}/bot" points it at the local emulator.

    A 429 is waited out (retry_after) and the call repeated, up to `flood_budget` seconds of
    waiting per call; then NotifierError(retry_after=...) lets the caller keep the message.
    """

    def __init__(
        self,
        token: str,
        base_url: str | None = None,
        *,
        parse_mode: str | None = None,
        timeout: float = 10.0,
        flood_budget: float = 30.0,
    ):
        self._token = token
        self._base_url = base_url or TELEGRAM_BOT_API
        self._parse_mode = parse_mode
        self._timeout = timeout
        self._flood_budget = flood_budget
        self._lock = threading.Lock()
        self._loop: LoopThread | None = None
        self._bot: Bot | None = None
        self.flood_waits = 0  # 429s waited out (a paced sender should see almost none)

    def send_message(
        self, chat_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> int:
        """Send text (verbatim unless parse_mode is set) with buttons; return the message_id."""
        return self.send(Outgoing(chat_id=chat_id, text=text, buttons=buttons))

    def send(self, message: Outgoing) -> int:
        """Send one Outgoing (paid broadcast and reply-to included); return its message_id.

        A raw sendMessage through PTB's do_api_request: only the message_id is read back,
        not a whole parsed Message (half the CPU of a send at broadcast rates).
        """
        kwargs = send_kwargs(message, self._parse_mode)
        sent = self._run("sendMessage", lambda bot: bot.do_api_request("sendMessage", kwargs))
        return int(sent["message_id"])

    def deliver(self, messages: list[Outgoing]) -> list[Delivery]:
        """Send each in turn (no pacing here: PacedNotifier adds it)."""
        return [delivery_of(partial(self.send, m)) for m in messages]

    def deliver_at(self, timed: list[tuple[float, Outgoing]]) -> list[Delivery]:
        """Send each message at its time.monotonic() slot, concurrently, in one hop to the
        loop: a batch of alerts costs one thread switch, and round trips overlap."""
        if not timed:
            return []
        loop, bot = self._started()
        last = max(when for when, _ in timed) - time.monotonic()
        budget = self._timeout * 2 + self._flood_budget + max(last, 0.0)
        sending = send_timed(bot, timed, self._parse_mode, self._flood_budget, self._counted_wait)
        return loop.run(sending, budget)

    def edit_message(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: list[list[Button]] | None = None,
        priority: Priority = Priority.RESULT,
        html: bool = False,
    ) -> None:
        """Replace the text; without buttons the keyboard goes away (Telegram's rule).

        Editing to the same content is a no-op, so a retried edit is harmless.
        """
        markup = inline_keyboard(buttons)
        self._run_edit(
            "editMessageText",
            lambda bot: bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML" if html else self._parse_mode,
                reply_markup=markup,
            ),
        )

    def edit_buttons(
        self, chat_id: int, message_id: int, buttons: list[list[Button]] | None
    ) -> None:
        """Swap or (with None) remove a message's inline keyboard, keeping its text."""
        markup = inline_keyboard(buttons)
        self._run_edit(
            "editMessageReplyMarkup",
            lambda bot: bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=markup
            ),
        )

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """Delete a message (the bot's, or a user's in a private chat within 48 hours)."""
        self._run("deleteMessage", lambda bot: bot.delete_message(chat_id, message_id))

    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None:
        """Stop the button's spinner with a toast (or an alert box when `alert`)."""
        self._run(
            "answerCallbackQuery",
            lambda bot: bot.answer_callback_query(callback_query_id, text=text, show_alert=alert),
        )

    def send_invoice(self, chat_id: int, invoice: Invoice) -> int:
        """A Stars invoice (XTR, no provider token); returns its message_id."""
        from telegram import LabeledPrice

        sent = self._run(
            "sendInvoice",
            lambda bot: bot.send_invoice(
                chat_id,
                invoice.title,
                invoice.description,
                invoice.payload,
                "XTR",
                [LabeledPrice(invoice.label, invoice.stars)],
                provider_token="",
            ),
        )
        return int(sent.message_id)

    def answer_pre_checkout(self, query_id: str, error: str | None = None) -> None:
        """Accept (error None) or refuse a pre-checkout query; Telegram waits 10 s at most."""
        self._run(
            "answerPreCheckoutQuery",
            lambda bot: bot.answer_pre_checkout_query(
                query_id, ok=error is None, error_message=error
            ),
        )

    def refund_stars(self, user_id: int, charge_id: str) -> None:
        """Give a Stars payment back (refundStarPayment)."""
        self._run("refundStarPayment", lambda bot: bot.refund_star_payment(user_id, charge_id))

    def set_commands(self, commands: dict[str, str]) -> None:
        """Publish the command menu: {"start": "Link your account", ...}."""
        from telegram import BotCommand

        menu = [BotCommand(name, description) for name, description in commands.items()]
        self._run("setMyCommands", lambda bot: bot.set_my_commands(menu))

    def set_webhook(self, url: str, secret_token: str, drop_pending_updates: bool = False) -> None:
        """Have Telegram POST updates to `url` with the X-Telegram-Bot-Api-Secret-Token header."""
        self._run(
            "setWebhook",
            lambda bot: bot.set_webhook(
                url, secret_token=secret_token, drop_pending_updates=drop_pending_updates
            ),
        )

    def delete_webhook(self, drop_pending_updates: bool = False) -> None:
        self._run(
            "deleteWebhook",
            lambda bot: bot.delete_webhook(drop_pending_updates=drop_pending_updates),
        )

    def close(self) -> None:
        """Close the HTTP connections and the private loop (optional: both are daemons)."""
        with self._lock:
            loop, bot, self._loop, self._bot = self._loop, self._bot, None, None
        if loop and bot:
            loop.run(bot.request.shutdown(), self._timeout)  # bot.shutdown() skips uninitialized
        if loop:
            loop.stop()

    def _counted_wait(self) -> None:
        self.flood_waits += 1

    def _run(self, method: str, call: Callable[[Bot], Awaitable[T]]) -> T:
        loop, bot = self._started()
        coro = call_waiting_out_floods(
            method, lambda: call(bot), self._flood_budget, self._counted_wait
        )
        return loop.run(coro, self._timeout * 2 + self._flood_budget)

    def _run_edit(self, method: str, call: Callable[[Bot], Awaitable[Any]]) -> None:
        try:
            self._run(method, call)
        except NotifierError as exc:
            if "not modified" not in exc.description.lower():
                raise

    def _started(self) -> tuple[LoopThread, Bot]:
        """Create the loop and the Bot on first use, never at import or construction."""
        with self._lock:
            if self._loop is None or self._bot is None:
                from telegram import Bot

                from bitten.adapters.telegram_transport import StreamRequest

                # sendMessage goes through do_api_request on purpose (only message_id is read)
                warnings.filterwarnings(
                    "ignore", message=r"Please use 'Bot\.sendMessage'", module="bitten"
                )
                request = StreamRequest(pool_size=8, timeout=self._timeout)
                self._bot = Bot(self._token, base_url=self._base_url, request=request)
                self._loop = LoopThread()
            return self._loop, self._bot
