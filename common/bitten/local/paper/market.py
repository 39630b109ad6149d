"""When the paper market is shut: the FX weekend, and gaps in the replayed data."""

from __future__ import annotations

from datetime import datetime

from bitten.domain.broker import (
    RETCODE_CONNECTION,
    RETCODE_MARKET_CLOSED,
    RETCODE_TRADE_DISABLED,
    OrderRequest,
)
from bitten.local.paper.accounts import PaperAccount

# The retail FX week: Sunday 22:00 UTC to Friday 22:00 UTC (brokers differ by an hour with DST).
WEEK_OPENS = (6, 22)  # Sunday, 22:00
WEEK_CLOSES = (4, 22)  # Friday, 22:00


def weekend_reason(now: datetime) -> str | None:
    """'the FX market is closed for the weekend' between Friday 22:00 and Sunday 22:00 UTC."""
    day, hour = now.weekday(), now.hour
    closed = (
        day == 5
        or (day == WEEK_CLOSES[0] and hour >= WEEK_CLOSES[1])
        or (day == WEEK_OPENS[0] and hour < WEEK_OPENS[1])
    )
    return (
        "the FX market is closed for the weekend (Friday 22:00 to Sunday 22:00 UTC)"
        if closed
        else None
    )


SIDES = {"full": ("buy", "sell"), "longonly": ("buy",), "shortonly": ("sell",)}


def pre_trade_refusal(
    acc: PaperAccount, order: OrderRequest, now: datetime, trade_modes: dict[str, str]
) -> tuple[int, str] | None:
    """What a terminal answers before it looks at prices: no connection to the trade server,
    trading disabled (account or symbol), the weekend."""
    if not acc.terminal_connected:
        return RETCODE_CONNECTION, "the terminal is not connected to the trade server"
    if not acc.trade_allowed:
        return RETCODE_TRADE_DISABLED, f"trading is disabled on account {acc.login}"
    mode = trade_modes.get(order.symbol, "full")
    if order.side not in SIDES.get(mode, ()):
        return RETCODE_TRADE_DISABLED, f"{order.symbol} is {mode}"
    closed = weekend_reason(now)
    return (RETCODE_MARKET_CLOSED, closed) if closed else None
