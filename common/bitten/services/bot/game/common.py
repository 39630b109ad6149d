"""What the game commands share: finding the trader behind a Telegram user, answering."""

from __future__ import annotations

from bitten.domain.trader import Trader
from bitten.services.bot.models import User
from bitten.services.bot.texts import esc
from bitten.services.bot.texts import say as reply
from bitten.services.deps import BotDeps


def trader_of(chat_id: int, user: User, deps: BotDeps) -> Trader | None:
    """The registered trader, or None after telling them to /start."""
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(user.id)
    if trader is None:
        reply(deps.notifier, chat_id, "Send /start first.")
    return trader


def say(deps: BotDeps, chat_id: int, lines: list[str]) -> None:
    """Answer in plain lines (escaped: the bot speaks Telegram HTML)."""
    reply(deps.notifier, chat_id, esc("\n".join(lines)))
