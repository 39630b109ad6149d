"""/start [referral code]: register; a trader without an account gets a PRESS PASS demo."""

from __future__ import annotations

from bitten.domain.display import format_money
from bitten.domain.tiers import tier_name
from bitten.domain.trader import Trader
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat, esc, say, web_app
from bitten.services.deps import BotDeps

GUIDE = (
    "Signals arrive here as missions: tap <b>FIRE</b> to trade, <b>HUD</b> for the chart.\n"
    "/status · /missions · /positions · /history · /tier · /me · /notebook · /help"
)


def start(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """Register once (a referral code counts only for a new trader); open a demo if needed."""
    now = deps.clock.now()
    with deps.uow() as repos:
        trader, created = repos.traders.register(user.id, user.username or user.first_name, now)
        referrer = repos.traders.by_referral(_code(arg)) if created and arg else None
        if referrer is not None:
            repos.traders.set_referrer(trader.id, referrer.id)
    name = esc(user.first_name or user.username or "trader")
    if trader.broker_login is None:
        text = f"Welcome to BITTEN, {name}. {_open_demo(trader, user, deps)}"
    else:
        login = esc(trader.broker_login)
        text = f"Welcome back, {name}. Tier <b>{tier_name(trader.tier)}</b>, account {login}."
    buttons = [[web_app("War Room", deps.hud_base_url, "/me")]] if chat.private else None
    say(deps.notifier, chat.chat_id, f"{text}\n\n{GUIDE}", buttons)
    return "registered" if created else "welcome_back"


def _code(arg: str) -> str:
    """Deep links carry the code as 'ABC123' or 'ref_ABC123'."""
    return arg.strip().removeprefix("ref_").removeprefix("ref-")[:32]


def _open_demo(trader: Trader, user: User, deps: BotDeps) -> str:
    account = deps.broker.open_demo_account(user.username or str(user.id), deps.demo_balance)
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.traders.link_account(trader.id, account.login, True, account.currency, now)
        repos.trace.stamp("trader_registered", now, trader_id=trader.id, login=account.login)
    money = format_money(account.balance, account.currency)
    return f"Your PRESS PASS demo account {esc(account.login)} with {money} is ready."
