"""Read model for the HUD and GET /api/missions/{id}."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID


def mission_view(mission_id: UUID, trader_id: UUID, uow, now: datetime) -> dict[str, Any] | None:
    """The mission, its signal, shield checks, fire state and trace; None if not this trader's."""
    with uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None or mission.trader_id != trader_id:
            return None
        signal = repos.signals.get(mission.signal_id)
        fire_state = repos.fires.state(mission_id)
        trace = repos.trace.for_mission(mission_id)
    expired = mission.status == "expired" or (mission.status == "open" and mission.is_expired(now))
    return {
        "mission": mission.model_dump(mode="json"),
        "signal": signal.model_dump(mode="json"),
        "fire_state": fire_state,
        "expired": expired,
        "expires_at": mission.expires_at.isoformat(),
        "trace": [{"hop": t["hop"], "at": t["at"].isoformat()} for t in trace],
    }
