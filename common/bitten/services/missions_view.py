"""Read model for the HUD and GET /api/missions/{id}."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.fire import FireState
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.signal import TradeSignal
from bitten.ports import UnitOfWork


class TraceHop(BaseModel):
    hop: str
    at: datetime


class MissionView(BaseModel):
    """The mission, its signal and shield checks, its fire state and its trace."""

    mission: Mission
    signal: TradeSignal
    fire_state: FireState | None
    expired: bool
    expires_at: datetime
    trace: list[TraceHop]


def mission_view(
    mission_id: UUID, trader_id: UUID, uow: UnitOfWork, now: datetime
) -> MissionView | None:
    """None when there is no such mission or it is not this trader's."""
    with uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None or mission.trader_id != trader_id:
            return None
        signal = repos.signals.get(mission.signal_id)
        fire = repos.fires.get(mission_id)
        trace = repos.trace.for_mission(mission_id)
    if signal is None:
        return None
    open_ = mission.status == MissionStatus.OPEN
    return MissionView(
        mission=mission,
        signal=signal,
        fire_state=fire.state if fire else None,
        expired=mission.status == MissionStatus.EXPIRED or (open_ and mission.is_expired(now)),
        expires_at=mission.expires_at,
        trace=[TraceHop(hop=t.hop, at=t.at) for t in trace],
    )
