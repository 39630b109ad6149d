"""FIRE tapped (Telegram or HUD): the FireRouter's instant checks, then one queued fire per
attempt (a mission handed back unsent may be fired again)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from bitten import logs
from bitten.domain.game.plans import PlanViolation
from bitten.domain.mission import MissionAlreadyFired, MissionExpired
from bitten.domain.switches import FiringPaused, Switch
from bitten.domain.tiers import TierViolation
from bitten.services.deps import FireRequestDeps
from bitten.services.fire_router import check_request
from bitten.services.game.plans import enforce_daily_plan

log = logs.get("fire_request")
REFUSAL_CODES: tuple[tuple[type[Exception], str], ...] = (
    (FiringPaused, "paused"),
    (PlanViolation, "plan"),  # issue 12: outside the daily plan (a TierViolation, named first)
    (TierViolation, "tier"),
    (MissionExpired, "expired"),
)


@dataclass(frozen=True)
class FireCommand:
    mission_id: UUID
    trader_id: UUID
    source: str  # "telegram" | "hud"
    idempotency_key: str  # Telegram callback_query id, or the HUD's Idempotency-Key


def request_fire(cmd: FireCommand, deps: FireRequestDeps) -> int:
    """Enqueue the fire and return its attempt number, or raise MissionNotFound /
    MissionExpired / MissionAlreadyFired / TierViolation / FiringPaused / PlanViolation."""
    now = deps.clock.now()
    try:
        with deps.uow() as repos:
            found = repos.missions.get(cmd.mission_id, lock=True)
            # the trader's row lock makes two taps of one trader count each other's trades
            # (and take the plan's last shot only once)
            trader = repos.traders.get(cmd.trader_id, lock=True) if found else None
            open_trades = repos.traders.open_trades(trader.id) if trader else 0
            firing = repos.switches.get(Switch.FIRING)
            mission = check_request(found, cmd.trader_id, trader, open_trades, firing, now)
            enforce_daily_plan(repos, mission, now)  # issue 12: the daily plan
            attempt = repos.missions.request_fire(mission.id, now)
            repos.missions.record_fire_request(
                mission.id, cmd.source, cmd.idempotency_key, True, now
            )
            repos.trace.stamp(
                "fire_requested",
                now,
                signal_id=mission.signal_id,
                mission_id=mission.id,
                trader_id=cmd.trader_id,
                source=cmd.source,
                attempt=attempt,
            )
            # Last statement of the transaction: if the send fails, nothing above is kept.
            deps.fires_queue.send(
                {"mission_id": str(mission.id), "attempt": attempt},
                group_id=str(cmd.trader_id),
                dedup_id=f"{mission.id}:{attempt}",
            )
    except MissionAlreadyFired:
        _record_duplicate(cmd, deps)
        raise
    except (FiringPaused, TierViolation, MissionExpired) as why:
        _record_refusal(cmd, why, deps)
        raise
    log.info("fire requested", extra={"mission_id": cmd.mission_id, "trader_id": cmd.trader_id})
    return attempt


def _record_duplicate(cmd: FireCommand, deps: FireRequestDeps) -> None:
    _record_unfired(cmd, deps, "duplicate_blocked", source=cmd.source)


def _record_refusal(cmd: FireCommand, why: Exception, deps: FireRequestDeps) -> None:
    """A refused tap is on record with its reason (once per idempotency key)."""
    code = next(c for kind, c in REFUSAL_CODES if isinstance(why, kind))
    _record_unfired(cmd, deps, "fire_refused", code=code, reason=str(why))


def _record_unfired(cmd: FireCommand, deps: FireRequestDeps, hop: str, **detail: str) -> None:
    """A tap that fired nothing: its request row and trace row, once per idempotency key."""
    now = deps.clock.now()
    with deps.uow() as repos:
        if repos.missions.record_fire_request(
            cmd.mission_id, cmd.source, cmd.idempotency_key, False, now
        ):
            repos.trace.stamp(
                hop,
                now,
                signal_id=None,  # named, so no `detail` key can stand for an id
                mission_id=cmd.mission_id,
                trader_id=cmd.trader_id,
                stage="request",
                **detail,
            )
