"""The daily plan at FIRE (issue 12's hook in request_fire), its choice, and its sizing share."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from bitten import logs
from bitten.domain.game.plans import (
    DEFAULT,
    PLANS,
    PlanViolation,
    Strategy,
    TacticalPlan,
    check_shot,
    check_unlocked,
    parse_strategy,
)
from bitten.domain.game.shop import EXTRA_SHOT
from bitten.domain.game.trading_day import day_window
from bitten.domain.mission import Mission
from bitten.domain.trader import Trader
from bitten.ports import Repositories
from bitten.services.game.deps import Storage
from bitten.services.game.zones import profile, today

log = logs.get("plans")


def plan_for(repos: Repositories, trader_id: UUID, now: datetime) -> TacticalPlan:
    """The plan in force for the trader's current trading day (LONE_WOLF until one is chosen)."""
    day, _ = today(repos, trader_id, now)
    return PLANS[repos.game.plans.current(trader_id, day) or DEFAULT]


def enforce_daily_plan(
    repos: Repositories, trader: Trader, mission: Mission, now: datetime
) -> None:
    """Raise PlanViolation unless this FIRE keeps to today's plan; spends a held extra shot when
    the budget is used up. Locks the trader's row: two FIREs at once cannot both take the last
    shot."""
    repos.game.xp.lock_balance(trader.id)
    day, tz = today(repos, trader.id, now)
    plan = PLANS[repos.game.plans.current(trader.id, day) or DEFAULT]
    signal = repos.signals.get(mission.signal_id)
    if signal is None:
        raise LookupError(f"mission {mission.id} has no signal")
    used = repos.game.plans.shots(trader.id, *day_window(day, tz))
    extras_used = repos.game.armory.used(trader.id, EXTRA_SHOT, day)
    held = repos.game.armory.held(trader.id).get(EXTRA_SHOT, 0)
    if check_shot(plan, used, extras_used, held, signal):
        repos.game.armory.use(trader.id, EXTRA_SHOT, f"{trader.id}:{day}:{mission.id}", now)


def plan_refused(mission_id: UUID, trader_id: UUID, why: PlanViolation, deps: Storage) -> None:
    """Trace the refusal (the refused FIRE's own transaction was rolled back)."""
    with deps.uow() as repos:
        repos.trace.stamp(
            "plan_refused",
            deps.clock.now(),
            mission_id=mission_id,
            trader_id=trader_id,
            reason=str(why),
        )
    log.info(
        "plan refused a shot: %s", why, extra={"mission_id": mission_id, "trader_id": trader_id}
    )


def plan_risk_share(repos: Repositories, trader_id: UUID, now: datetime) -> Decimal:
    """Share of RISK_PERCENT each shot of the trader's plan may use (fan-out sizing)."""
    return plan_for(repos, trader_id, now).risk_share


class PlanChoice(BaseModel):
    strategy: Strategy
    effective_day: str
    immediate: bool


def choose_plan(trader_id: UUID, text: str, deps: Storage) -> PlanChoice:
    """Pick an unlocked plan: today when no shot was taken yet, else from tomorrow.

    ValueError for an unknown plan, PlanLocked when its XP is not earned yet."""
    strategy = parse_strategy(text)
    now = deps.clock.now()
    with deps.uow() as repos:
        profile(repos, trader_id)
        check_unlocked(strategy, repos.game.xp.earned([trader_id])[trader_id])
        day, tz = today(repos, trader_id, now)
        immediate = repos.game.plans.shots(trader_id, *day_window(day, tz)) == 0
        effective = day if immediate else day + timedelta(days=1)
        repos.game.plans.choose(trader_id, strategy, effective, now)
    return PlanChoice(strategy=strategy, effective_day=effective.isoformat(), immediate=immediate)
