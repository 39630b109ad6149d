"""/achievements: what is unlocked, grade by grade, and the next target of each family."""

from __future__ import annotations

from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.views import achievements_view


def achievements(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    view = achievements_view(trader.id, deps.uow)
    lines = [f"ACHIEVEMENTS: {len(view.unlocked)} unlocked"]
    lines += [f"* {a.name} - {a.grade}: {a.description}" for a in view.unlocked]
    lines.append("Next:")
    lines += [f"- {a.name} - {a.grade}: {a.description} (now {a.progress})" for a in view.next]
    say(deps, chat.chat_id, lines)
    return "achievements"
