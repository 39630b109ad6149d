"""Text commands: /start, /connect LOGIN, /status, /help."""

from __future__ import annotations

from collections.abc import Callable

from bitten.domain.broker import BrokerError
from bitten.services.bot.game import GAME_COMMANDS, GAME_HELP
from bitten.services.bot.models import Message, User
from bitten.services.deps import BotDeps
from bitten.services.game.plan_view import status_line
from bitten.services.game.referrals import enlist

HELP = (
    "BITTEN commands:\n/start - register (PRESS PASS gets a demo account)\n"
    "/connect LOGIN - link your MT5 account\n/status - tier, balance, open trades, XP\n/help"
    f"\n{GAME_HELP}"  # issue 12
)


Command = Callable[[int, User, str, BotDeps], str]


def on_text(message: Message, user: User, deps: BotDeps) -> str:
    command, _, arg = (message.text or "").strip().partition(" ")
    commands: dict[str, Command] = {"/start": start, "/connect": connect, "/status": status}
    commands |= GAME_COMMANDS  # issue 12: /xp /plan /drill /shop /achievements /refer
    handler = commands.get(command.split("@")[0])
    if handler is None:
        deps.notifier.send_message(message.chat.id, HELP)
        return "help"
    return handler(message.chat.id, user, arg.strip(), deps)


def start(chat_id: int, user: User, arg: str, deps: BotDeps) -> str:
    """Register; a new trader without an account gets a PRESS PASS demo account."""
    with deps.uow() as repos:
        trader, created = repos.traders.register(
            user.id, user.username or user.first_name, deps.clock.now()
        )
    if trader.broker_login is None:
        account = deps.broker.open_demo_account(user.username or str(user.id), deps.demo_balance)
        with deps.uow() as repos:
            repos.traders.link_account(
                trader.id, account.login, True, account.currency, deps.clock.now()
            )
            repos.trace.stamp(
                "trader_registered", deps.clock.now(), trader_id=trader.id, login=account.login
            )
        text = (
            f"Welcome to BITTEN, {user.first_name or user.username}. PRESS PASS demo account "
            f"{account.login} with {account.balance} {account.currency} is ready."
        )
    else:
        text = f"Welcome back. Tier {trader.tier.value}, account {trader.broker_login}."
    deps.notifier.send_message(chat_id, text)
    enlist(trader, arg, deps)  # issue 12: a referral code as the /start payload
    return "registered" if created else "welcome_back"


def connect(chat_id: int, user: User, login: str, deps: BotDeps) -> str:
    """Link a real MT5 account after the broker confirms it exists."""
    if not login:
        deps.notifier.send_message(chat_id, "Usage: /connect LOGIN")
        return "usage"
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(user.id)
    if trader is None:
        deps.notifier.send_message(chat_id, "Send /start first.")
        return "not_registered"
    try:
        account = deps.broker.account_info(login)
    except BrokerError as err:
        deps.notifier.send_message(chat_id, f"Could not link {login}: {err}")
        return "link_failed"
    with deps.uow() as repos:
        repos.traders.link_account(
            trader.id, login, account.demo, account.currency, deps.clock.now()
        )
    kind = "demo" if account.demo else "live"
    deps.notifier.send_message(
        chat_id,
        f"Linked {kind} account {login}: balance {account.balance} {account.currency}.",
    )
    return "linked"


def status(chat_id: int, user: User, arg: str, deps: BotDeps) -> str:
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(user.id)
        open_trades = repos.traders.open_trades(trader.id) if trader else 0
    if trader is None:
        deps.notifier.send_message(chat_id, "Send /start first.")
        return "not_registered"
    deps.notifier.send_message(
        chat_id,
        f"Tier {trader.tier.value} | XP {trader.xp} | "
        f"open trades {open_trades} | account {trader.broker_login}\n"
        + status_line(trader.id, deps.uow, deps.clock.now()),  # issue 12: today's plan
    )
    return "status"
