"""What a trader sees of themselves: account, live positions, results, history, notebook."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import BrokerError, BrokerTimeout, Position
from bitten.domain.display import price_digits
from bitten.domain.fire import mission_of
from bitten.domain.instruments import pip_size
from bitten.domain.stats import ClosedTrade, TradeStats, day_start, week_start
from bitten.domain.stats import trade_stats as stats_of
from bitten.domain.tiers import OPEN_TRADE_LIMIT, tier_allows, tier_name
from bitten.domain.trader import Trader
from bitten.ports import Broker, Clock, UnitOfWork


class ViewDeps(Protocol):
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    bot_username: str


class AccountSnapshot(BaseModel):
    login: str | None = None
    demo: bool = True
    currency: str = "USD"
    balance: Decimal | None = None
    equity: Decimal | None = None
    online: bool = False  # the broker terminal answered its heartbeat
    error: str | None = None  # why balance/equity are missing


class LivePosition(BaseModel):
    mission_id: UUID | None  # None: opened outside BITTEN
    ticket: int
    symbol: str
    digits: int
    side: str
    volume: Decimal
    price_open: Decimal
    price_current: Decimal | None
    sl: Decimal
    tp: Decimal
    profit: Decimal | None
    pips: Decimal | None
    opened_at: datetime


class Results(BaseModel):
    trades: int
    wins: int
    pips: Decimal
    profit: Decimal


class TraderSummary(BaseModel):
    trader_id: UUID
    username: str
    tier: str
    tier_name: str
    tier_allows: str
    open_trade_limit: int | None
    tier_expires_at: datetime | None
    xp: int
    referral_code: str
    referral_link: str
    referrals: int
    open_trades: int
    account: AccountSnapshot
    today: Results
    week: Results


def account_snapshot(trader: Trader, broker: Broker) -> AccountSnapshot:
    """Balance and equity from the broker now; the error instead when it cannot answer."""
    if trader.broker_login is None:
        return AccountSnapshot(error="no account linked: /start or /connect")
    base = AccountSnapshot(
        login=trader.broker_login, demo=trader.demo_account, currency=trader.account_currency
    )
    try:
        info = broker.account_info(trader.broker_login)
        online = broker.heartbeat().connected
    except (BrokerError, BrokerTimeout) as err:
        return base.model_copy(update={"error": f"broker unavailable: {err}"})
    return base.model_copy(
        update={"balance": info.balance, "equity": info.equity, "online": online}
    )


def live_positions(trader: Trader, broker: Broker) -> list[LivePosition]:
    """Open positions at the broker, with live P&L; [] without an account. Raises BrokerError."""
    if trader.broker_login is None:
        return []
    return [_live(p) for p in broker.positions(trader.broker_login)]


def _live(p: Position) -> LivePosition:
    pips = None
    if p.price_current is not None:
        sign = 1 if p.side == "buy" else -1
        pips = (sign * (p.price_current - p.price_open) / pip_size(p.symbol)).quantize(
            Decimal("0.1")
        )
    return LivePosition(
        mission_id=mission_of(p.client_id),
        ticket=p.ticket,
        symbol=p.symbol,
        digits=price_digits(p.symbol),
        side=p.side,
        volume=p.volume,
        price_open=p.price_open,
        price_current=p.price_current,
        sl=p.sl,
        tp=p.tp,
        profit=p.profit,
        pips=pips,
        opened_at=p.time,
    )


def results(trades: list[ClosedTrade]) -> Results:
    return Results(
        trades=len(trades),
        wins=sum(1 for t in trades if t.profit > 0),
        pips=sum((t.pips for t in trades), Decimal(0)),
        profit=sum((t.profit for t in trades), Decimal(0)),
    )


def trader_summary(trader_id: UUID, deps: ViewDeps) -> TraderSummary | None:
    """Everything the War Room and /status show about one trader."""
    now = deps.clock.now()
    with deps.uow() as repos:
        trader = repos.traders.get(trader_id)
        if trader is None:
            return None
        week = repos.journal.closed_since(trader_id, week_start(now))
        open_trades = repos.traders.open_trades(trader_id)
        referrals = repos.traders.referrals(trader_id)
    return TraderSummary(
        trader_id=trader.id,
        username=trader.username,
        tier=trader.tier.value,
        tier_name=tier_name(trader.tier),
        tier_allows=tier_allows(trader.tier),
        open_trade_limit=OPEN_TRADE_LIMIT[trader.tier],
        tier_expires_at=trader.tier_expires_at,
        xp=trader.xp,
        referral_code=trader.referral_code,
        referral_link=f"https://t.me/{deps.bot_username}?start={trader.referral_code}",
        referrals=referrals,
        open_trades=open_trades,
        account=account_snapshot(trader, deps.broker),
        today=results([t for t in week if t.closed_at >= day_start(now)]),
        week=results(week),
    )


class HistoryPage(BaseModel):
    items: list[ClosedTrade]
    page: int
    per_page: int
    total: int


class Notebook(HistoryPage):
    stats: TradeStats


def history_page(trader_id: UUID, page: int, per_page: int, uow: UnitOfWork) -> HistoryPage:
    """Closed trades, newest first, one page (pages count from 1)."""
    with uow() as repos:
        items = repos.journal.closed_trades(trader_id, per_page, (page - 1) * per_page)
        total = repos.journal.closed_count(trader_id)
    return HistoryPage(items=items, page=page, per_page=per_page, total=total)


def notebook(trader_id: UUID, page: int, per_page: int, uow: UnitOfWork) -> Notebook:
    """A page of closed trades with their notes, and statistics over every closed trade."""
    with uow() as repos:
        everything = repos.journal.closed_since(trader_id, None)
    listed = history_page(trader_id, page, per_page, uow)
    return Notebook(**listed.model_dump(), stats=stats_of(everything))
