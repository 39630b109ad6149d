"""Paper broker order checks (MT5 retcodes) and profit in the account currency."""

from __future__ import annotations

from decimal import Decimal

from bitten.domain.broker import (
    RETCODE_INVALID_STOPS,
    RETCODE_INVALID_VOLUME,
    RETCODE_NO_MONEY,
    OrderRequest,
)
from bitten.domain.instruments import default_contract_size, quote_to_account_rate
from bitten.domain.retcodes import retcode_text as _text
from bitten.domain.sizing import margin_required
from bitten.local.paper.quotes import (
    VOLUME_MAX,
    VOLUME_MIN,
    VOLUME_STEP,
    Quote,
    to_points,
    to_price,
)

CENT = Decimal("0.01")

Rejection = tuple[int, str]


def retcode_text(retcode: int, detail: str = "") -> str:
    """MT5 wording of a retcode, with our detail appended."""
    return _text(retcode, detail)


def check_volume(volume: Decimal) -> Rejection | None:
    """Volume within [min, max] and a whole number of steps."""
    if not VOLUME_MIN <= volume <= VOLUME_MAX:
        return RETCODE_INVALID_VOLUME, f"{volume} is outside [{VOLUME_MIN}, {VOLUME_MAX}] lots"
    if volume % VOLUME_STEP != 0:
        return RETCODE_INVALID_VOLUME, f"{volume} is not a multiple of the step {VOLUME_STEP}"
    return None


def _stop_on_wrong_side(order: OrderRequest, quote: Quote) -> str | None:
    bid, ask = to_price(quote.bid, quote.digits), to_price(quote.ask, quote.digits)
    sl, tp = order.sl, order.tp
    if order.side == "buy":
        if sl and sl >= bid:
            return f"buy stop loss {sl} must be below the bid {bid}"
        if tp and tp <= bid:
            return f"buy take profit {tp} must be above the bid {bid}"
        return None
    if sl and sl <= ask:
        return f"sell stop loss {sl} must be above the ask {ask}"
    if tp and tp >= ask:
        return f"sell take profit {tp} must be below the ask {ask}"
    return None


def check_stops(order: OrderRequest, quote: Quote) -> Rejection | None:
    """SL/TP (0 = none) not negative, normalised to the symbol's digits, on the right side."""
    for name, level in (("stop loss", order.sl), ("take profit", order.tp)):
        if level < 0:
            return RETCODE_INVALID_STOPS, f"{name} {level} is negative"
        if level != to_price(to_points(level, quote.digits), quote.digits):
            return RETCODE_INVALID_STOPS, f"{name} {level} has more than {quote.digits} decimals"
    wrong = _stop_on_wrong_side(order, quote)
    return (RETCODE_INVALID_STOPS, wrong) if wrong else None


def check_order(order: OrderRequest, quote: Quote, balance: Decimal) -> Rejection | None:
    """First reason (retcode, detail) a quoted order cannot be filled, or None."""
    problem = check_volume(order.volume)
    if problem:
        return problem
    problem = check_stops(order, quote)
    if problem:
        return problem
    if balance <= 0:
        return RETCODE_NO_MONEY, f"balance is {balance}"
    return None


def check_margin(
    order: OrderRequest, price: Decimal, rate: Decimal, leverage: int, free: Decimal
) -> tuple[Decimal, Rejection | None]:
    """(margin the order needs, NO_MONEY when free margin does not cover it)."""
    need = margin_required(order.volume, default_contract_size(order.symbol), price, leverage, rate)
    if need > free:
        return need, (RETCODE_NO_MONEY, f"margin {need} needed, {free} free at 1:{leverage}")
    return need, None


def profit(
    side: str,
    volume: Decimal,
    symbol: str,
    price_open: Decimal,
    price_close: Decimal,
    rate: Decimal,
) -> Decimal:
    """Realised profit in the account currency; `rate` turns quote currency into it."""
    move = price_close - price_open if side == "buy" else price_open - price_close
    amount = move * volume * default_contract_size(symbol) * rate
    return amount.quantize(CENT)


def account_rate(
    symbol: str, price: Decimal, currency: str, mids: dict[str, Decimal]
) -> Decimal | None:
    """Quote-currency -> account-currency multiplier at `price`, None when no rate is known."""
    try:
        return quote_to_account_rate(symbol, price, currency, mids)
    except ValueError:
        return None
