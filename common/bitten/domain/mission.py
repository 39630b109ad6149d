"""A personal mission: one signal sized for one trader, fireable until it expires."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.state import StateMachine


class MissionStatus(StrEnum):
    """The one status a trader sees, from the alert to the closed trade."""

    OPEN = "open"
    FIRE_REQUESTED = "fire_requested"
    FILLED = "filled"
    CLOSED_TP = "closed_tp"
    CLOSED_SL = "closed_sl"
    CLOSED_MANUAL = "closed_manual"
    CLOSED_STOPOUT = "closed_stopout"
    REJECTED = "rejected"
    EXPIRED = "expired"


_M = MissionStatus
CLOSED = frozenset({_M.CLOSED_TP, _M.CLOSED_SL, _M.CLOSED_MANUAL, _M.CLOSED_STOPOUT})
MISSION_STATES: StateMachine[MissionStatus] = StateMachine(
    "mission",
    {
        _M.OPEN: frozenset({_M.FIRE_REQUESTED, _M.EXPIRED}),
        # back to OPEN only when nothing reached the broker (offline, paused, broker down)
        _M.FIRE_REQUESTED: frozenset({_M.OPEN, _M.FILLED, _M.REJECTED, _M.EXPIRED}),
        _M.FILLED: CLOSED,
    },
)
FIRED = frozenset({_M.FIRE_REQUESTED, _M.FILLED, *CLOSED})
CLOSE_STATUS = {
    "tp": _M.CLOSED_TP,
    "sl": _M.CLOSED_SL,
    "stopout": _M.CLOSED_STOPOUT,
    "client": _M.CLOSED_MANUAL,
    "expert": _M.CLOSED_MANUAL,
}


class MissionNotFound(LookupError):
    """No such mission (or not this trader's)."""


class MissionExpired(Exception):
    """The mission's fire window has closed."""


class MissionAlreadyFired(Exception):
    """FIRE was already requested for this mission; a second tap changes nothing."""


class Mission(BaseModel):
    id: UUID
    signal_id: UUID
    trader_id: UUID
    status: MissionStatus
    balance: Decimal
    risk_amount: Decimal
    lots: Decimal
    risk_multiplier: Decimal  # the signal's, lowered for the trader's open exposure
    exposure_note: str | None = None  # why it was lowered, shown in the alert and the HUD
    sl_price: Decimal
    tp_price: Decimal
    created_at: datetime
    expires_at: datetime
    status_reason: str | None = None  # why it was rejected, expired or handed back
    fire_attempts: int = 0  # FIRE taps accepted; an attempt that sent nothing may be retried

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def check_fireable(self, now: datetime) -> None:
        """Raise the reason this mission cannot be fired now, if any."""
        if self.status in FIRED:
            raise MissionAlreadyFired(f"mission {self.id} was already fired")
        if self.status == MissionStatus.EXPIRED and self.status_reason:
            raise MissionExpired(f"this mission expired: {self.status_reason}")
        if self.status == MissionStatus.EXPIRED or self.is_expired(now):
            raise MissionExpired(
                f"this mission expired at {self.expires_at:%H:%M} UTC; wait for the next signal"
            )
        if self.status != MissionStatus.OPEN:
            why = f": {self.status_reason}" if self.status_reason else ""
            raise MissionExpired(f"this mission was {self.status.value}{why}")
