"""/me (War Room) and /notebook (Norman's Notebook): Mini App pages opened inside Telegram."""

from __future__ import annotations

from collections.abc import Callable

from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat, say, web_app
from bitten.services.deps import BotDeps

PAGES = {
    "/me": (
        "War Room",
        "/me",
        "Balance, equity, open trades with live P&amp;L, results, tier, XP.",
    ),
    "/notebook": (
        "Norman's Notebook",
        "/notebook",
        "Every closed trade with your notes and tags, and your statistics.",
    ),
}


def open_page(command: str) -> Callable[[Chat, User, str, BotDeps], str]:
    """The handler of a command that opens one Mini App page."""
    title, path, blurb = PAGES[command]

    def handler(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
        if not chat.private:
            say(deps.notifier, chat.chat_id, f"Open {title} from a private chat with me.")
            return "not_private"
        button = web_app(f"Open {title}", deps.hud_base_url, path)
        say(deps.notifier, chat.chat_id, f"<b>{title}</b>: {blurb}", [[button]])
        return "page"

    return handler
