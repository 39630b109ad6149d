"""FIRE tapped (Telegram or HUD): validate, mark the mission, enqueue one fire per mission."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from bitten import logs
from bitten.domain.game.plans import PlanViolation
from bitten.domain.mission import MissionAlreadyFired, MissionNotFound, MissionStatus
from bitten.domain.tiers import check_can_open
from bitten.services.deps import FireRequestDeps
from bitten.services.game.plans import enforce_daily_plan, plan_refused

log = logs.get("fire_request")


@dataclass(frozen=True)
class FireCommand:
    mission_id: UUID
    trader_id: UUID
    source: str  # "telegram" | "hud"
    idempotency_key: str  # Telegram callback_query id, or the HUD's Idempotency-Key


def request_fire(cmd: FireCommand, deps: FireRequestDeps) -> None:
    """Raise MissionNotFound / MissionExpired / MissionAlreadyFired / TierViolation, or enqueue."""
    now = deps.clock.now()
    try:
        with deps.uow() as repos:
            mission = repos.missions.get(cmd.mission_id, lock=True)
            if mission is None or mission.trader_id != cmd.trader_id:
                raise MissionNotFound(f"mission {cmd.mission_id} not found")
            mission.check_fireable(now)
            trader = repos.traders.get(cmd.trader_id)
            if trader is None:
                raise MissionNotFound(f"trader {cmd.trader_id} not found")
            check_can_open(trader.tier, trader.demo_account, repos.traders.open_trades(trader.id))
            enforce_daily_plan(repos, trader, mission, now)  # issue 12: the daily plan
            repos.missions.transition(mission.id, MissionStatus.OPEN, MissionStatus.FIRE_REQUESTED)
            repos.missions.record_fire_request(
                mission.id, cmd.source, cmd.idempotency_key, True, now
            )
            repos.trace.stamp(
                "fire_requested",
                now,
                signal_id=mission.signal_id,
                mission_id=mission.id,
                trader_id=trader.id,
                source=cmd.source,
            )
            # Last statement of the transaction: if the send fails, nothing above is kept.
            deps.fires_queue.send(
                {"mission_id": str(mission.id)}, group_id=str(trader.id), dedup_id=str(mission.id)
            )
    except MissionAlreadyFired:
        _record_duplicate(cmd, deps)
        raise
    except PlanViolation as why:  # issue 12: trace the refusal (the transaction rolled back)
        plan_refused(cmd.mission_id, cmd.trader_id, why, deps)
        raise
    log.info("fire requested", extra={"mission_id": cmd.mission_id, "trader_id": cmd.trader_id})


def _record_duplicate(cmd: FireCommand, deps: FireRequestDeps) -> None:
    now = deps.clock.now()
    with deps.uow() as repos:
        if repos.missions.record_fire_request(
            cmd.mission_id, cmd.source, cmd.idempotency_key, False, now
        ):
            repos.trace.stamp(
                "duplicate_blocked",
                now,
                mission_id=cmd.mission_id,
                trader_id=cmd.trader_id,
                stage="request",
                source=cmd.source,
            )
