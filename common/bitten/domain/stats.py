"""A trader's closed trades and the statistics Norman's Notebook shows."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import Side


class ClosedTrade(BaseModel):
    """One filled mission whose position the broker closed, with the trader's note."""

    mission_id: UUID
    symbol: str
    side: Side
    volume: Decimal
    price_open: Decimal
    price_close: Decimal
    opened_at: datetime
    closed_at: datetime
    pips: Decimal
    profit: Decimal
    close_reason: str
    note: str = ""
    tags: list[str] = []

    @property
    def held(self) -> timedelta:
        return self.closed_at - self.opened_at


class TradeStats(BaseModel):
    trades: int
    wins: int
    losses: int
    win_rate: Decimal | None  # percent, None before the first trade
    expectancy: Decimal | None  # money per trade
    profit_factor: Decimal | None  # gross win / gross loss; None without a loss
    total_profit: Decimal
    total_pips: Decimal
    average_hold_minutes: int | None
    best_pair: str | None
    worst_pair: str | None


def trade_stats(trades: list[ClosedTrade]) -> TradeStats:
    """Win rate, expectancy, profit factor, average hold, best and worst pair by money."""
    n = len(trades)
    wins = [t.profit for t in trades if t.profit > 0]
    losses = [-t.profit for t in trades if t.profit < 0]
    total = sum((t.profit for t in trades), Decimal(0))
    by_pair: dict[str, Decimal] = defaultdict(Decimal)
    for t in trades:
        by_pair[t.symbol] += t.profit
    ranked = sorted(by_pair, key=lambda p: (by_pair[p], p))
    hold = sum((t.held for t in trades), timedelta()) / n if n else None
    return TradeStats(
        trades=n,
        wins=len(wins),
        losses=len(losses),
        win_rate=(Decimal(100 * len(wins)) / n).quantize(Decimal("0.1")) if n else None,
        expectancy=(total / n).quantize(Decimal("0.01")) if n else None,
        profit_factor=_ratio(wins, losses),
        total_profit=total,
        total_pips=sum((t.pips for t in trades), Decimal(0)),
        average_hold_minutes=int(hold.total_seconds() // 60) if hold is not None else None,
        best_pair=ranked[-1] if ranked else None,
        worst_pair=ranked[0] if ranked else None,
    )


def _ratio(wins: list[Decimal], losses: list[Decimal]) -> Decimal | None:
    """Gross win over gross loss, None without a loss."""
    if not losses:
        return None
    return (sum(wins, Decimal(0)) / sum(losses, Decimal(0))).quantize(Decimal("0.01"))


def closed_between(trades: list[ClosedTrade], start: datetime, end: datetime) -> list[ClosedTrade]:
    """The trades closed in [start, end)."""
    return [t for t in trades if start <= t.closed_at < end]


def day_start(now: datetime) -> datetime:
    """Midnight UTC of `now`'s day."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of `now`'s week."""
    return day_start(now) - timedelta(days=now.weekday())
