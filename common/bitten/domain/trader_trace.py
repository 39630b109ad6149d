"""One trader as an operator finds them: who, tier, open trades, missions with their trace."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.tiers import Tier
from bitten.domain.trade import TraceEvent, TrackedPosition


class TraderMatch(BaseModel):
    """A search hit, and what it matched on (telegram id, login, mission id...)."""

    trader_id: UUID
    telegram_id: int
    username: str
    tier: Tier
    login: str | None
    matched: str


class MissionTrace(BaseModel):
    """A mission and every hop of its journey, its signal's hops first."""

    mission_id: UUID
    signal_id: UUID
    pair: str
    direction: str
    setup: str
    status: str
    status_reason: str | None
    lots: str
    created_at: datetime
    trace: list[TraceEvent]


class TraderDetail(BaseModel):
    trader_id: UUID
    telegram_id: int
    username: str
    tier: Tier
    tier_expires_at: datetime | None
    login: str | None
    demo: bool | None
    open_trades: list[TrackedPosition]
    missions: list[MissionTrace]
