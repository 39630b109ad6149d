"""What PtbNotifier is built from: its errors, its private event loop, keyboards, flood waits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from bitten import metrics
from bitten.ports import Button, Delivery, Outgoing

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup

log = logging.getLogger(__name__)
T = TypeVar("T")


class NotifierError(Exception):
    """A Bot API call failed; `description` is Telegram's own words."""

    def __init__(
        self,
        method: str,
        description: str,
        *,
        retryable: bool = False,
        blocked: bool = False,
        retry_after: float | None = None,
    ):
        super().__init__(f"{method}: {description}")
        self.method = method
        self.description = description
        self.retryable = retryable  # network trouble or flood control: the same call may work later
        self.blocked = blocked  # the user blocked the bot or left: stop messaging them
        self.retry_after = retry_after  # flood control outlasted our wait budget: try after this

    @property
    def flood(self) -> bool:
        return self.retry_after is not None


class LoopThread:
    """One private asyncio loop in a daemon thread; sync callers submit coroutines to it."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="ptb-notifier", daemon=True
        )
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise NotifierError(
                "call", f"no answer within {timeout:.0f}s", retryable=True
            ) from None

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


def inline_keyboard(buttons: list[list[Button]] | None) -> InlineKeyboardMarkup | None:
    """Button rows -> PTB's InlineKeyboardMarkup (callback_data, url or web_app)."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

    if not buttons:
        return None

    def one(button: Button) -> InlineKeyboardButton:
        kinds = [k for k in ("callback_data", "url", "web_app_url") if getattr(button, k)]
        if len(kinds) != 1:
            raise NotifierError("keyboard", f"button {button.text!r} needs exactly one of {kinds}")
        if button.web_app_url:
            return InlineKeyboardButton(button.text, web_app=WebAppInfo(button.web_app_url))
        return InlineKeyboardButton(button.text, callback_data=button.callback_data, url=button.url)

    return InlineKeyboardMarkup([[one(b) for b in row] for row in buttons])


def keyboard_json(buttons: list[list[Button]] | None) -> dict[str, Any] | None:
    """Button rows as the Bot API's InlineKeyboardMarkup JSON (the fast path's keyboard)."""
    if not buttons:
        return None

    def one(button: Button) -> dict[str, Any]:
        kinds = [k for k in ("callback_data", "url", "web_app_url") if getattr(button, k)]
        if len(kinds) != 1:
            raise NotifierError("keyboard", f"button {button.text!r} needs exactly one of {kinds}")
        if button.web_app_url:
            return {"text": button.text, "web_app": {"url": button.web_app_url}}
        return {"text": button.text, kinds[0]: getattr(button, kinds[0])}

    return {"inline_keyboard": [[one(b) for b in row] for row in buttons]}


def send_kwargs(message: Any, parse_mode: str | None) -> dict[str, Any]:
    """sendMessage parameters for an Outgoing, as the Bot API names them."""
    kwargs: dict[str, Any] = {"chat_id": message.chat_id, "text": message.text}
    mode = "HTML" if message.html else parse_mode
    if mode:
        kwargs["parse_mode"] = mode
    markup = keyboard_json(message.buttons)
    if markup:
        kwargs["reply_markup"] = markup
    if message.paid_broadcast:
        kwargs["allow_paid_broadcast"] = True
    if message.reply_to:
        kwargs["reply_parameters"] = {"message_id": message.reply_to}
    return kwargs


def retry_seconds(exc: Any) -> float:
    """RetryAfter.retry_after is int or timedelta depending on PTB_TIMEDELTA; accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        retry_after = exc.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


async def call_waiting_out_floods(
    method: str, call: Callable[[], Awaitable[T]], budget: float, on_wait: Callable[[], None]
) -> T:
    """Run a Bot API call; on 429 wait retry_after and call again (the message is kept) until
    `budget` seconds of waiting are spent; map PTB errors to NotifierError."""
    from telegram import error

    waited = 0.0
    while True:
        try:
            return await call()
        except error.RetryAfter as exc:
            metrics.telegram_429()
            wait = retry_seconds(exc)
            if waited + wait > budget:
                raise NotifierError(method, exc.message, retryable=True, retry_after=wait) from exc
            log.warning("telegram flood control on %s: waiting %.0fs", method, wait)
            on_wait()
            waited += wait
            await asyncio.sleep(wait)
        except error.TelegramError as exc:
            raise _mapped(method, exc) from exc


def _mapped(method: str, exc: Exception) -> NotifierError:
    from telegram import error

    message = getattr(exc, "message", str(exc))
    if isinstance(exc, error.BadRequest):  # before NetworkError: BadRequest subclasses it
        return NotifierError(method, message)
    if isinstance(exc, error.Forbidden):
        return NotifierError(method, message, blocked=True)
    if isinstance(exc, error.ChatMigrated):
        return NotifierError(method, f"chat migrated to {exc.new_chat_id}")
    if isinstance(exc, error.TimedOut | error.NetworkError):
        return NotifierError(method, message, retryable=True)
    return NotifierError(method, message)


def delivery_of(send: Callable[[], int]) -> Delivery:
    """Run one send and say what became of it (a failure is reported, never raised)."""
    try:
        return Delivery(message_id=send())
    except NotifierError as err:
        status: Literal["blocked", "flood", "failed"] = (
            "blocked" if err.blocked else "flood" if err.flood else "failed"
        )
        return Delivery(status=status, detail=err.description)


async def send_timed(
    bot: Any,
    timed: list[tuple[float, Outgoing]],
    parse_mode: str | None,
    budget: float,
    on_wait: Callable[[], None],
) -> list[Delivery]:
    """Each message at its time.monotonic() slot, concurrently; raw sendMessage calls."""

    async def one(when: float, message: Outgoing) -> Delivery:
        await asyncio.sleep(max(0.0, when - time.monotonic()))
        kwargs = send_kwargs(message, parse_mode)
        try:
            sent = await call_waiting_out_floods(
                "sendMessage", lambda: bot.do_api_request("sendMessage", kwargs), budget, on_wait
            )
        except NotifierError as err:
            return delivery_of(partial(_raise, err))
        return Delivery(message_id=int(sent["message_id"]))

    return list(await asyncio.gather(*(one(w, m) for w, m in timed)))


def _raise(err: Exception) -> int:
    raise err
