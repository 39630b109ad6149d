"""PtbNotifier: the Notifier port over python-telegram-bot, usable from sync code and threads."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bitten.ports import Button

if TYPE_CHECKING:
    from telegram import Bot, InlineKeyboardMarkup

log = logging.getLogger(__name__)
T = TypeVar("T")
TELEGRAM_BOT_API = "https://api.telegram.org/bot"


class NotifierError(Exception):
    """A Bot API call failed; `description` is Telegram's own words."""

    def __init__(
        self, method: str, description: str, *, retryable: bool = False, blocked: bool = False
    ):
        super().__init__(f"{method}: {description}")
        self.method = method
        self.description = description
        self.retryable = retryable  # network trouble or flood control: the same call may work later
        self.blocked = blocked  # the user blocked the bot or left: stop messaging them


class _LoopThread:
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


def _retry_seconds(exc: Any) -> float:
    """RetryAfter.retry_after is int or timedelta depending on PTB_TIMEDELTA; accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        retry_after = exc.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


async def _call_once_more_on_flood(method: str, call: Callable[[], Awaitable[T]], cap: float) -> T:
    """Run a Bot API call; on 429 wait retry_after once; map PTB errors to NotifierError."""
    from telegram import error

    try:
        try:
            return await call()
        except error.RetryAfter as exc:
            wait = _retry_seconds(exc)
            if wait > cap:
                raise NotifierError(method, exc.message, retryable=True) from exc
            log.warning("telegram flood control on %s: waiting %.0fs", method, wait)
            await asyncio.sleep(wait)
            return await call()
    except error.RetryAfter as exc:
        raise NotifierError(method, exc.message, retryable=True) from exc
    except error.BadRequest as exc:  # before NetworkError: BadRequest subclasses it
        raise NotifierError(method, exc.message) from exc
    except error.Forbidden as exc:
        raise NotifierError(method, exc.message, blocked=True) from exc
    except error.ChatMigrated as exc:
        raise NotifierError(method, f"chat migrated to {exc.new_chat_id}") from exc
    except (error.TimedOut, error.NetworkError) as exc:
        raise NotifierError(method, exc.message, retryable=True) from exc
    except error.TelegramError as exc:
        raise NotifierError(method, exc.message) from exc


class PtbNotifier:
    """Notifier over telegram.Bot; base_url=f"{emulator}/bot" points it at the local emulator."""

    def __init__(
        self,
        token: str,
        base_url: str | None = None,
        *,
        parse_mode: str | None = None,
        timeout: float = 10.0,
        max_retry_after: float = 30.0,
    ):
        self._token = token
        self._base_url = base_url or TELEGRAM_BOT_API
        self._parse_mode = parse_mode
        self._timeout = timeout
        self._max_retry_after = max_retry_after
        self._lock = threading.Lock()
        self._loop: _LoopThread | None = None
        self._bot: Bot | None = None

    def send_message(
        self, chat_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> int:
        """Send text (verbatim unless parse_mode is set) with buttons; return the message_id."""
        markup = inline_keyboard(buttons)
        message = self._run(
            "sendMessage",
            lambda bot: bot.send_message(
                chat_id, text, parse_mode=self._parse_mode, reply_markup=markup
            ),
        )
        return int(message.message_id)

    def edit_message(
        self, chat_id: int, message_id: int, text: str, buttons: list[list[Button]] | None = None
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
                parse_mode=self._parse_mode,
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

    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None:
        """Stop the button's spinner with a toast (or an alert box when `alert`)."""
        self._run(
            "answerCallbackQuery",
            lambda bot: bot.answer_callback_query(callback_query_id, text=text, show_alert=alert),
        )

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
        """Close the HTTP client and the private loop (optional: both are daemons)."""
        with self._lock:
            loop, bot, self._loop, self._bot = self._loop, self._bot, None, None
        if loop and bot:
            loop.run(
                bot.request.shutdown(), self._timeout
            )  # bot.shutdown() skips uninitialized bots
        if loop:
            loop.stop()

    def _run(self, method: str, call: Callable[[Bot], Awaitable[T]]) -> T:
        loop, bot = self._started()
        coro = _call_once_more_on_flood(method, lambda: call(bot), self._max_retry_after)
        return loop.run(coro, self._timeout * 2 + self._max_retry_after)

    def _run_edit(self, method: str, call: Callable[[Bot], Awaitable[Any]]) -> None:
        try:
            self._run(method, call)
        except NotifierError as exc:
            if "not modified" not in exc.description.lower():
                raise

    def _started(self) -> tuple[_LoopThread, Bot]:
        """Create the loop and the Bot on first use, never at import or construction."""
        with self._lock:
            if self._loop is None or self._bot is None:
                from telegram import Bot
                from telegram.request import HTTPXRequest

                request = HTTPXRequest(
                    connection_pool_size=8,
                    read_timeout=self._timeout,
                    connect_timeout=self._timeout,
                )
                self._bot = Bot(self._token, base_url=self._base_url, request=request)
                self._loop = _LoopThread()
            return self._loop, self._bot
