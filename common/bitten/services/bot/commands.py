"""Text commands: one small handler each, the menu published with setMyCommands."""

from __future__ import annotations

from collections.abc import Callable

from bitten.ports import Notifier
from bitten.services.bot import account, start, throne, tier, trading
from bitten.services.bot.game import GAME_COMMANDS, GAME_MENU
from bitten.services.bot.models import Message, User
from bitten.services.bot.pages import open_page
from bitten.services.bot.texts import Chat, say
from bitten.services.deps import BotDeps

Command = Callable[[Chat, User, str, BotDeps], str]

MENU: dict[str, str] = {
    "start": "Register (PRESS PASS demo account)",
    "connect": "Link your MT5 account: /connect LOGIN INVESTOR_PASSWORD",
    "status": "Tier, balance, equity, open trades, XP",
    "missions": "Open missions with countdown and FIRE",
    "positions": "Open trades with live P&L",
    "history": "Recent closed trades and totals",
    "tier": "Tiers, your own, upgrade with Stars",
    "me": "War Room (Mini App)",
    "notebook": "Norman's Notebook (Mini App)",
    **GAME_MENU,  # issue 12
    "disconnect": "Unlink your MT5 account",
    "help": "What I can do",
}


def _help(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    lines = [f"/{name} – {text}" for name, text in MENU.items()]
    say(deps.notifier, chat.chat_id, "<b>BITTEN</b>\n" + "\n".join(lines))
    return "help"


COMMANDS: dict[str, Command] = {
    "/start": start.start,
    "/connect": account.connect,
    "/disconnect": account.disconnect,
    "/status": account.status,
    "/missions": trading.missions,
    "/positions": trading.positions,
    "/history": trading.history,
    "/tier": tier.tier,
    "/me": open_page("/me"),
    "/notebook": open_page("/notebook"),
    "/help": _help,
    "/throne": throne.throne,  # operators only, so not in the menu (issue 13)
    **GAME_COMMANDS,  # issue 12: /xp /plan /drill /shop /achievements /refer
}


def on_text(message: Message, user: User, deps: BotDeps) -> str:
    """Route a text to its command; anything else gets the help."""
    command, _, arg = (message.text or "").strip().partition(" ")
    chat = Chat(message.chat.id, message.message_id, private=message.chat.type == "private")
    handler = COMMANDS.get(command.split("@")[0].lower(), _help)
    return handler(chat, user, arg.strip(), deps)


def publish_menu(notifier: Notifier) -> None:
    """setMyCommands: the menu Telegram shows next to the message box."""
    notifier.set_commands(MENU)
