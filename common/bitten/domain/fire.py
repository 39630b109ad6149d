"""A fire: the one order a mission may cause, and what we know of its outcome."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import OrderRequest
from bitten.domain.instruments import SymbolSpec
from bitten.domain.mission import Mission
from bitten.domain.signal import TradeSignal
from bitten.domain.state import StateMachine


class FireState(StrEnum):
    CLAIMED = "claimed"  # we own the fire; nothing sent yet
    SENT = "sent"  # committed before the broker call: from here a crash is reconciled
    FILLED = "filled"
    REJECTED = "rejected"
    UNKNOWN = "unknown"  # timeout or lost connection: ask the broker by client id


FIRE_STATES: StateMachine[FireState] = StateMachine(
    "fire",
    {
        None: frozenset({FireState.CLAIMED}),
        FireState.CLAIMED: frozenset({FireState.SENT, FireState.REJECTED}),
        FireState.SENT: frozenset({FireState.FILLED, FireState.REJECTED, FireState.UNKNOWN}),
        FireState.UNKNOWN: frozenset({FireState.FILLED, FireState.REJECTED}),
    },
)
IN_FLIGHT = (FireState.CLAIMED, FireState.SENT, FireState.UNKNOWN)


class Fire(BaseModel):
    mission_id: UUID
    state: FireState
    order: OrderRequest | None = None  # what was sent; set on claimed -> sent
    retcode: int | None = None
    message: str = ""
    claimed_at: datetime
    updated_at: datetime


class PendingFire(BaseModel):
    """A FIRE whose outcome we never heard, with what reconciliation needs."""

    mission_id: UUID
    login: str
    state: FireState | None  # None: the request was accepted but never claimed
    order: OrderRequest | None
    since: datetime


def market_order(mission: Mission, signal: TradeSignal, spec: SymbolSpec) -> OrderRequest:
    """The mission's order at the live price: its stop and target measured from that price."""
    entry = spec.ask if signal.direction == "buy" else spec.bid
    sl, tp = signal.bracket(entry)
    tick = Decimal(1).scaleb(-spec.digits)
    return OrderRequest(
        client_id=str(mission.id),
        symbol=signal.pair,
        side=signal.direction,
        volume=mission.lots,
        sl=sl.quantize(tick),
        tp=tp.quantize(tick),
    )
