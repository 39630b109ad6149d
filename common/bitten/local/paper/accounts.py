"""Paper accounts: money, margin from leverage, and the account's hosted terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bitten.domain.broker import AccountInfo, TerminalStatus
from bitten.local.paper.orders import CENT
from bitten.local.paper.positions import OpenPosition, floating_profit
from bitten.local.paper.quotes import PaperQuotes

DEFAULT_LEVERAGE = 100


@dataclass
class PaperAccount:
    login: str
    name: str
    currency: str
    balance: Decimal
    demo: bool
    leverage: int = DEFAULT_LEVERAGE
    investor_password: str | None = None  # MT5's read-only password (proof of ownership)
    trade_allowed: bool = True  # the broker lets this account trade (10017 when not)
    terminal_connected: bool = True  # its hosted MT5 terminal reaches the trade server
    autotrading: bool = True  # AutoTrading switched on in that terminal (10027 when off)
    offline_since: datetime | None = None


def account_info(
    acc: PaperAccount, held: list[OpenPosition], quotes: PaperQuotes, now_s: int, server: str
) -> AccountInfo:
    """MT5 account_info: equity with floating profit, margin of the open positions."""
    floating = sum((floating_profit(h, quotes, now_s) for h in held), Decimal(0))
    margin = sum((h.margin for h in held), Decimal(0))
    equity = (acc.balance + floating).quantize(CENT)
    return AccountInfo(
        login=acc.login,
        currency=acc.currency,
        balance=acc.balance,
        equity=equity,
        demo=acc.demo,
        server=server,
        margin=margin,
        margin_free=equity - margin,
        leverage=acc.leverage,
        trade_allowed=acc.trade_allowed,
    )


def terminal_status(acc: PaperAccount, last_tick: datetime | None, now: datetime) -> TerminalStatus:
    """The account's terminal as the gateway sees it: a connected one beats every second."""
    return TerminalStatus(
        login=acc.login,
        connected=acc.terminal_connected,
        trade_allowed=acc.autotrading,
        last_heartbeat=now if acc.terminal_connected else acc.offline_since,
        last_tick_time=last_tick,
        ping_ms=0.0,
    )


def set_terminal(
    acc: PaperAccount, now: datetime, connected: bool | None, autotrading: bool | None
) -> None:
    """Take the account's terminal off line or back (paper-only control)."""
    if connected is not None:
        if acc.terminal_connected and not connected:
            acc.offline_since = now
        acc.terminal_connected = connected
    if autotrading is not None:
        acc.autotrading = autotrading
