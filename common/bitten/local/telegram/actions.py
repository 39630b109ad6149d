"""What a script can make the emulated users do beyond writing and pressing: pay an invoice,
open a Mini App; and the flood limits' figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bitten.local.telegram import payments, webapp
from bitten.local.telegram.limits import TelegramLimits
from bitten.local.telegram.state import BotState


class EmulatorActions:
    """Mixed into TelegramEmulator (which provides `state` and `token`)."""

    state: BotState
    token: str
    clock: Callable[[], float]

    def pay(self, user_id: int, message_id: int) -> dict[str, Any]:
        """The user pays the invoice `message_id` in Stars (waits for the bot's pre-checkout)."""
        return payments.pay(self.state, user_id, message_id)

    def init_data(self, user_id: int, auth_date: int | None = None) -> str:
        """Mini App initData for this user, signed with the bot token like Telegram's."""
        with self.state.cond:
            user = {k: v for k, v in self.state.user(user_id).items() if k != "is_bot"}
        return webapp.init_data(self.token, user, auth_date or int(self.clock()))

    def open_web_app(
        self, user_id: int, message_id: int, text: str | None = None
    ) -> dict[str, str]:
        """The user taps a web_app button: {url (with #tgWebAppData=...), init_data, page}."""
        with self.state.cond:
            page = webapp.web_app_url(self.state, user_id, message_id, text)
        signed = self.init_data(user_id)
        return {"url": webapp.launch_url(page, signed), "init_data": signed, "page": page}

    def set_limits(self, limits: TelegramLimits | None) -> None:
        """Replace the flood limits (None turns them off)."""
        with self.state.cond:
            self.state.limits = limits

    def stats(self) -> dict[str, Any]:
        """429s answered, paid-broadcast messages and Stars charged, Stars earned, and when
        the first and last sendMessage were accepted (epoch seconds)."""
        with self.state.cond:
            limits = self.state.limits.stats() if self.state.limits else {"limits": "off"}
            sends = [s["at"] for s in self.state.sent_log if s["method"] == "sendMessage"]
            return {
                **limits,
                "messages_sent": len(sends),
                "first_sent_at": min(sends, default=None),
                "last_sent_at": max(sends, default=None),
                "star_balance": self.state.star_balance,
            }

    def users(self, first_id: int, count: int) -> None:
        """Register `count` users (ids from `first_id`) at once: a bench's audience."""
        with self.state.cond:
            for user_id in range(first_id, first_id + count):
                self.state.add_user(user_id, f"Trader {user_id}", None)
