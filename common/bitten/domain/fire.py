"""A fire: the one order a mission may cause, and what we know of its outcome."""

from __future__ import annotations

import base64
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
    RELEASED = "released"  # nothing reached the broker: the mission may be fired again


_F = FireState
FIRE_STATES: StateMachine[FireState] = StateMachine(
    "fire",
    {
        None: frozenset({_F.CLAIMED}),
        _F.RELEASED: frozenset({_F.CLAIMED}),  # the trader's next attempt
        _F.CLAIMED: frozenset({_F.SENT, _F.REJECTED, _F.RELEASED}),
        # SENT -> RELEASED only on the broker's word that nothing executed
        _F.SENT: frozenset({_F.FILLED, _F.REJECTED, _F.UNKNOWN, _F.RELEASED}),
        _F.UNKNOWN: frozenset({_F.FILLED, _F.REJECTED}),
    },
)
IN_FLIGHT = (_F.CLAIMED, _F.SENT, _F.UNKNOWN)
CLIENT_ID_LENGTH = 26


def client_id_for(mission_id: UUID) -> str:
    """The order's client id: the mission id's 16 bytes in base32, 26 characters (an MT5
    comment holds 31), lower case so a gateway that changes case cannot break the lookup."""
    return base64.b32encode(mission_id.bytes).decode().rstrip("=").lower()


def mission_of(client_id: str) -> UUID | None:
    """The mission id a client id was made from, or None when it is not one of ours."""
    if len(client_id) != CLIENT_ID_LENGTH:
        return None
    try:
        return UUID(bytes=base64.b32decode(client_id.upper() + "======"))
    except ValueError:
        return None


class Fire(BaseModel):
    mission_id: UUID
    state: FireState
    attempt: int = 1
    client_id: str = ""
    order: OrderRequest | None = None  # what was sent; set on claimed -> sent
    retcode: int | None = None
    message: str = ""
    claimed_at: datetime
    updated_at: datetime


class PendingFire(BaseModel):
    """A FIRE whose outcome we never heard, with what reconciliation needs."""

    mission_id: UUID
    login: str
    attempt: int
    state: FireState | None  # None: the request was accepted but never claimed
    order: OrderRequest | None
    since: datetime


def market_order(
    mission: Mission, signal: TradeSignal, spec: SymbolSpec, lots: Decimal | None = None
) -> OrderRequest:
    """The mission's order at the live price: its stop and target measured from that price."""
    entry = spec.ask if signal.direction == "buy" else spec.bid
    sl, tp = signal.bracket(entry)
    tick = Decimal(1).scaleb(-spec.digits)
    return OrderRequest(
        client_id=client_id_for(mission.id),
        symbol=signal.pair,
        side=signal.direction,
        volume=mission.lots if lots is None else lots,
        sl=sl.quantize(tick),
        tp=tp.quantize(tick),
    )
