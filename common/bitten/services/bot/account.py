"""/connect LOGIN INVESTOR_PASSWORD, /disconnect, /status."""

from __future__ import annotations

from bitten import logs
from bitten.domain.display import format_money, utc_date
from bitten.domain.tiers import Tier, tier_allows, tier_name
from bitten.domain.trader import Trader
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat, esc, say
from bitten.services.deps import BotDeps
from bitten.services.game.plan_view import status_line
from bitten.services.linking import LinkRefused, link_account, unlink_account
from bitten.services.trader_views import AccountSnapshot, account_snapshot

log = logs.get("bot")
CONNECT_USAGE = (
    "Send <code>/connect LOGIN INVESTOR_PASSWORD</code> in this private chat.\n"
    "The investor password is MT5's read-only password: it proves the account is yours and "
    "cannot trade. I check it with the broker once, delete your message and never store it."
)


def registered(chat: Chat, user: User, deps: BotDeps) -> Trader | None:
    """The trader behind a Telegram user, or None after telling them to /start."""
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(user.id)
    if trader is None:
        say(deps.notifier, chat.chat_id, "Send /start first.")
    return trader


def connect(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """Link an MT5 account after the broker accepts its investor password."""
    login, _, password = arg.partition(" ")
    if password:  # the password never stays in the chat, whatever happens next
        _delete(chat, deps)
    if not chat.private:
        say(deps.notifier, chat.chat_id, "Link accounts in a private chat with me, never here.")
        return "not_private"
    if not login or not password.strip():
        say(deps.notifier, chat.chat_id, CONNECT_USAGE)
        return "usage"
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    try:
        account = link_account(trader, login, password.strip(), deps)
    except LinkRefused as why:
        say(deps.notifier, chat.chat_id, f"⛔ Not linked: {esc(why)}.")
        return "refused"
    kind = "demo" if account.demo else "live"
    note = ""
    if not account.demo and trader.tier == Tier.PRESS_PASS:
        note = "\nPRESS PASS trades demo accounts only: /tier to receive missions on it."
    money = format_money(account.balance, account.currency)
    say(
        deps.notifier,
        chat.chat_id,
        f"✅ Linked {kind} account {esc(login)}: balance {money}.{note}",
    )
    return "linked"


def _delete(chat: Chat, deps: BotDeps) -> None:
    try:
        deps.notifier.delete_message(chat.chat_id, chat.message_id)
    except Exception:  # noqa: BLE001 - still never stored; say so in the log, not in the chat
        log.warning("could not delete a /connect message", extra={"chat_id": chat.chat_id})


def disconnect(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    try:
        login = unlink_account(trader, deps)
    except LinkRefused as why:
        say(deps.notifier, chat.chat_id, f"⛔ Not unlinked: {esc(why)}.")
        return "refused"
    say(
        deps.notifier,
        chat.chat_id,
        f"Unlinked {esc(login)}. /connect another, or /start for a demo.",
    )
    return "unlinked"


def status(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """Tier and its limits, balance, equity, open trades, XP, terminal online or not."""
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    with deps.uow() as repos:
        open_trades = repos.traders.open_trades(trader.id)
    account = account_snapshot(trader, deps.broker)
    until = f" until {utc_date(trader.tier_expires_at)}" if trader.tier_expires_at else ""
    text = (
        f"<b>{tier_name(trader.tier)}</b>{until}: {tier_allows(trader.tier)}\n"
        f"{_account_line(account)}\n"
        f"Open trades {open_trades} · XP {trader.xp}\n"
        f"Terminal {'🟢 online' if account.online else '🔴 offline'}\n"
        + esc(status_line(trader.id, deps.uow, deps.clock.now()))  # issue 12: today's plan
    )
    say(deps.notifier, chat.chat_id, text)
    return "status"


def _account_line(a: AccountSnapshot) -> str:
    if a.login is None:
        return "No account linked: /connect or /start."
    kind = "demo" if a.demo else "live"
    if a.balance is None or a.equity is None:
        return f"Account {esc(a.login)} ({kind}): {esc(a.error or 'no figures')}"
    return (
        f"Account {esc(a.login)} ({kind}) · balance {format_money(a.balance, a.currency)} · "
        f"equity {format_money(a.equity, a.currency)}"
    )
