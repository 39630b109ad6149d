"""A filled mission's position as we track it until the broker reports its close."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import Side
from bitten.domain.instruments import pip_size


def slippage_pips(side: Side, symbol: str, requested: Decimal, filled: Decimal) -> Decimal:
    """Pips filled worse (+) or better (-) than `requested`, to a tenth of a pip."""
    sign = 1 if side == "buy" else -1
    return (sign * (filled - requested) / pip_size(symbol)).quantize(Decimal("0.1"))


class TrackedPosition(BaseModel):
    mission_id: UUID
    signal_id: UUID
    trader_id: UUID
    telegram_id: int
    login: str
    ticket: int
    symbol: str
    side: Side
    volume: Decimal
    price_open: Decimal
    opened_at: datetime
    client_id: str = ""

    def pips_to(self, price_close: Decimal) -> Decimal:
        """Pips won (+) or lost (-) closing at `price_close`, to a tenth of a pip."""
        sign = 1 if self.side == "buy" else -1
        return (sign * (price_close - self.price_open) / pip_size(self.symbol)).quantize(
            Decimal("0.1")
        )


class TraceEvent(BaseModel):
    """One hop of a signal's journey (candle close, signal, mission, alert, fire, fill...)."""

    hop: str
    at: datetime
    detail: dict[str, object] = {}


class TraceStamp(BaseModel):
    """One trace row to write (many are written at once by fan-out)."""

    hop: str
    at: datetime
    signal_id: UUID | None = None
    mission_id: UUID | None = None
    trader_id: UUID | None = None
    detail: dict[str, object] = {}
