"""What a paper symbol spec adds to the quote table: tick value, trade mode, last tick."""

from __future__ import annotations

from decimal import Decimal

from bitten.domain.instruments import SymbolSpec
from bitten.local.paper.accounts import PaperAccount
from bitten.local.paper.orders import account_rate
from bitten.local.paper.quotes import PaperQuotes, utc


def with_specifics(
    spec: SymbolSpec,
    acc: PaperAccount,
    quotes: PaperQuotes,
    now_s: int,
    trade_modes: dict[str, str],
) -> SymbolSpec:
    """The spec with its tick value in the account's currency, its trade mode and the time
    of its last quote."""
    quote = quotes.last_quote(spec.symbol, now_s)
    tick = Decimal(1).scaleb(-spec.digits)
    rate = None
    if quote is not None:
        rate = account_rate(spec.symbol, quote.price("sell"), acc.currency, quotes.mids(now_s))
    value = (spec.contract_size * tick * rate).quantize(Decimal("1e-8")) if rate else None
    return spec.model_copy(
        update={
            "tick_size": tick,
            "tick_value": value,
            "trade_mode": trade_modes.get(spec.symbol, "full"),
            "last_tick_time": utc(quote.bar_open + 60) if quote else None,
        }
    )
