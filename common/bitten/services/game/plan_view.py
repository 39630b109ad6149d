"""The plan as the trader sees it: /plan, /status, the alert line and GET /api/plan."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.game.plans import DEFAULT, PLANS, Strategy, TacticalPlan, gate_refusal
from bitten.domain.game.shop import EXTRA_SHOT
from bitten.domain.game.trading_day import day_window, zone
from bitten.domain.signal import TradeSignal
from bitten.ports import Repositories, UnitOfWork
from bitten.services.game.zones import today


class PlanCard(BaseModel):
    strategy: str
    unlock_xp: int
    unlocked: bool
    shots_per_day: int
    min_shield: Decimal
    min_confidence: int
    risk_share: Decimal  # of the standard risk per trade
    risk_share_percent: int
    motto: str


class PlanStatus(BaseModel):
    """Today's plan, what is used of it, and every plan with its lock."""

    day: str
    time_zone: str
    resets_at: datetime
    current: PlanCard
    tomorrow: str | None  # a plan chosen from tomorrow on, when it differs
    shots_used: int
    shots_allowed: int
    extra_shots_held: int
    earned_xp: int
    plans: list[PlanCard]


def _card(plan: TacticalPlan, earned: int) -> PlanCard:
    return PlanCard(
        strategy=plan.strategy.value,
        unlock_xp=plan.unlock_xp,
        unlocked=earned >= plan.unlock_xp,
        shots_per_day=plan.shots_per_day,
        min_shield=plan.min_shield,
        min_confidence=plan.min_confidence,
        risk_share=plan.risk_share,
        risk_share_percent=plan.share_percent,
        motto=plan.motto,
    )


def plan_status(trader_id: UUID, uow: UnitOfWork, now: datetime) -> PlanStatus:
    """Read model of the trader's plan for today."""
    with uow() as repos:
        return read_plan(repos, trader_id, now)


def read_plan(repos: Repositories, trader_id: UUID, now: datetime) -> PlanStatus:
    """plan_status inside the caller's transaction."""
    day, tz = today(repos, trader_id, now)
    start, end = day_window(day, tz)
    plan = PLANS[repos.game.plans.current(trader_id, day) or DEFAULT]
    nxt = repos.game.plans.current(trader_id, day + timedelta(days=1))
    earned = repos.game.xp.earned([trader_id])[trader_id]
    used = repos.game.plans.shots(trader_id, start, end)
    extras = repos.game.armory.used(trader_id, EXTRA_SHOT, day)
    held = repos.game.armory.held(trader_id).get(EXTRA_SHOT, 0)
    return PlanStatus(
        day=day.isoformat(),
        time_zone=str(tz),
        resets_at=end,
        current=_card(plan, earned),
        tomorrow=nxt.value if nxt and nxt != plan.strategy else None,
        shots_used=used,
        shots_allowed=plan.shots_per_day + extras,
        extra_shots_held=held,
        earned_xp=earned,
        plans=[_card(p, earned) for p in PLANS.values()],
    )


def status_line(trader_id: UUID, uow: UnitOfWork, now: datetime) -> str:
    """One line for /status and /tier: the plan and what is left of it today."""
    s = plan_status(trader_id, uow, now)
    return (
        f"Plan {s.current.strategy}: {s.shots_used} of {s.shots_allowed} shots used today "
        f"(resets {s.resets_at.astimezone(zone(s.time_zone)):%H:%M} {s.time_zone})"
    )


def alert_line(repos: Repositories, trader_id: UUID, signal: TradeSignal, now: datetime) -> str:
    """The plan line under a personal alert: the shot it would be, or why the plan refuses it."""
    s = read_plan(repos, trader_id, now)
    plan = PLANS[Strategy(s.current.strategy)]
    why = gate_refusal(plan, signal)
    if why:
        return f"\nOutside your plan: {why}"
    if s.shots_used >= s.shots_allowed and not s.extra_shots_held:
        return f"\nPlan {plan.strategy.value}: all {s.shots_allowed} shots used today"
    return (
        f"\nPlan {plan.strategy.value}: this is shot {s.shots_used + 1} of {s.shots_allowed} "
        f"today at {plan.share_percent}% of the standard risk"
    )
