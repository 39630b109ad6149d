"""Open paper positions: fill, floating profit, and SL/TP exits found by replaying bars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bitten.domain.broker import ClosedDeal, OrderRequest, Position
from bitten.local.paper.orders import account_rate, profit
from bitten.local.paper.quotes import PaperQuotes, Quote, digits_of, to_points, to_price, utc
from bitten.local.paper.stops import first_stop_hit


@dataclass
class OpenPosition:
    """A position plus what the book needs to keep replaying it."""

    position: Position
    login: str
    rate: Decimal  # quote -> account currency at open (fallback when no rate at close)
    checked_open: int  # open time of the last bar already checked for its stops
    margin: Decimal = Decimal(0)  # account-currency margin held while open
    deal_in: int = 0  # ticket of the deal that opened it


def open_position(
    ticket: int,
    login: str,
    order: OrderRequest,
    quote: Quote,
    rate: Decimal,
    now: datetime,
    margin: Decimal = Decimal(0),
) -> OpenPosition:
    """The position a filled market order creates (MT5: position ticket = order ticket)."""
    pos = Position(
        ticket=ticket,
        client_id=order.client_id,
        symbol=order.symbol,
        side=order.side,
        volume=order.volume,
        price_open=quote.price(order.side),
        sl=order.sl,
        tp=order.tp,
        time=now,
    )
    return OpenPosition(pos, login, rate, quote.bar_open, margin)


def floating_profit(held: OpenPosition, quotes: PaperQuotes, now_s: int) -> Decimal:
    """Profit if closed now: a long at the bid, a short at the ask."""
    pos = held.position
    quote = quotes.last_quote(pos.symbol, now_s)
    if quote is None:
        return Decimal(0)
    exit_price = quote.price("sell" if pos.side == "buy" else "buy")
    return profit(pos.side, pos.volume, pos.symbol, pos.price_open, exit_price, held.rate)


def marked(held: OpenPosition, quotes: PaperQuotes, now_s: int) -> Position:
    """The position with its floating profit and the price it would close at now (MT5's
    POSITION_PROFIT and POSITION_PRICE_CURRENT)."""
    pos = held.position
    quote = quotes.last_quote(pos.symbol, now_s)
    if quote is None:
        return pos
    current = quote.price("sell" if pos.side == "buy" else "buy")
    money = profit(pos.side, pos.volume, pos.symbol, pos.price_open, current, held.rate)
    return pos.model_copy(update={"profit": money, "price_current": current})


def replay_stops(
    held: OpenPosition, quotes: PaperQuotes, now_s: int, currency: str
) -> ClosedDeal | None:
    """The closing deal when a bar since the last check touched SL/TP, else None."""
    pos = held.position
    bars = quotes.bars_after(pos.symbol, held.checked_open, now_s)
    if len(bars) == 0:
        return None
    digits = digits_of(pos.symbol)
    sl, tp = to_points(pos.sl, digits), to_points(pos.tp, digits)
    spreads = quotes.bar_spread_points(pos.symbol, bars)
    hit = first_stop_hit(pos.side, sl, tp, spreads, bars)
    if hit is None:
        held.checked_open = int(bars.time[-1])
        return None
    price, at_s = to_price(hit.price, digits), hit.bar_open + 60
    rate = account_rate(pos.symbol, price, currency, quotes.mids(at_s)) or held.rate
    return ClosedDeal(
        position=pos.ticket,
        client_id=pos.client_id,
        symbol=pos.symbol,
        volume=pos.volume,
        price=price,
        profit=profit(pos.side, pos.volume, pos.symbol, pos.price_open, price, rate),
        reason=hit.reason,
        time=utc(at_s),
    )
