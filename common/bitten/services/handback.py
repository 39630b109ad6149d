"""Fires that end without an order: handed back (nothing reached the broker, the trader may
fire again) or refused by the FireRouter before sending."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.domain.fire import FireState
from bitten.domain.mission import Mission, MissionStatus
from bitten.ports import Repositories
from bitten.services.mission_updates import explain
from bitten.services.positions import OutcomeDeps, _claim_current, _settle_mission


def record_release(
    mission_id: UUID, expected: FireState | None, code: str, reason: str, deps: OutcomeDeps
) -> None:
    """Nothing reached the broker: the fire is released and the mission open again (expired
    when its window has closed meanwhile), so the trader can tap FIRE once more."""
    now = deps.clock.now()
    with deps.uow() as repos:
        if expected is None:
            _claim_current(repos, mission_id, now)
            expected = FireState.CLAIMED
        repos.fires.transition(mission_id, expected, FireState.RELEASED, now, message=reason)
        found = repos.missions.get(mission_id)
        if found is None:
            raise LookupError(f"mission {mission_id} vanished")
        back = MissionStatus.EXPIRED if found.is_expired(now) else MissionStatus.OPEN
        mission, trader = _settle_mission(repos, mission_id, back, reason)
        _stamp(repos, "fire_released", mission, code, reason, now)
    explain(deps, mission_id, trader.telegram_id, release_text(reason, mission, back, now))


def release_text(reason: str, mission: Mission, status: MissionStatus, now: datetime) -> str:
    """What the trader reads when nothing was sent."""
    if status is MissionStatus.OPEN:
        return (
            f"Nothing was sent: {reason}. Try again: the mission stays open until "
            f"{mission.expires_at:%H:%M} UTC."
        )
    return f"Nothing was sent: {reason}. The mission has expired meanwhile."


def record_refusal(
    mission_id: UUID, status: MissionStatus, code: str, reason: str, deps: OutcomeDeps
) -> None:
    """The FireRouter refused before sending: the claimed fire is rejected (no order exists)
    and the mission ends `status` (rejected, or expired when the price ran away)."""
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.fires.transition(
            mission_id, FireState.CLAIMED, FireState.REJECTED, now, message=reason
        )
        mission, trader = _settle_mission(repos, mission_id, status, reason)
        _stamp(repos, "fire_refused", mission, code, reason, now)
    explain(deps, mission_id, trader.telegram_id, f"FIRE refused: {reason}.")


def _stamp(
    repos: Repositories, hop: str, mission: Mission, code: str, reason: str, now: datetime
) -> None:
    repos.trace.stamp(
        hop,
        now,
        signal_id=mission.signal_id,
        mission_id=mission.id,
        trader_id=mission.trader_id,
        code=code,
        reason=reason,
    )
