"""A personal mission: one signal sized for one trader, fireable until it expires."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.state import StateMachine


class MissionStatus(StrEnum):
    OPEN = "open"
    FIRE_REQUESTED = "fire_requested"
    FIRED = "fired"
    REJECTED = "rejected"
    EXPIRED = "expired"


MISSION_STATES: StateMachine[MissionStatus] = StateMachine(
    "mission",
    {
        MissionStatus.OPEN: frozenset({MissionStatus.FIRE_REQUESTED, MissionStatus.EXPIRED}),
        MissionStatus.FIRE_REQUESTED: frozenset({MissionStatus.FIRED, MissionStatus.REJECTED}),
    },
)


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

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def check_fireable(self, now: datetime) -> None:
        """Raise the reason this mission cannot be fired now, if any."""
        if self.status in (MissionStatus.FIRE_REQUESTED, MissionStatus.FIRED):
            raise MissionAlreadyFired(f"mission {self.id} was already fired")
        if self.status == MissionStatus.EXPIRED or self.is_expired(now):
            raise MissionExpired(
                f"this mission expired at {self.expires_at:%H:%M} UTC; wait for the next signal"
            )
        if self.status != MissionStatus.OPEN:
            raise MissionExpired(f"this mission is {self.status.value} and can no longer be fired")
