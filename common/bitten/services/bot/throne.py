"""/throne: operators open the Commander Throne (a Mini App page); everyone else is refused."""

from __future__ import annotations

from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat, say, web_app
from bitten.services.deps import BotDeps

BLURB = "flow, latency per hop, queues, terminals, Telegram, VENOM drift, traders and actions."


def throne(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """A web_app button to /throne for the ids OPERATOR_TELEGRAM_IDS lists (not in the menu)."""
    if user.id not in deps.operator_ids:
        say(deps.notifier, chat.chat_id, "The Commander Throne is for operators only.")
        return "not_operator"
    if not chat.private:
        say(deps.notifier, chat.chat_id, "Open the Throne from a private chat with me.")
        return "not_private"
    button = web_app("Open the Throne", deps.hud_base_url, "/throne")
    say(deps.notifier, chat.chat_id, f"<b>Commander Throne</b>: {BLURB}", [[button]])
    return "page"
