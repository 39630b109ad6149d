"""The daily plan at FIRE (issue 12's hook in request_fire), its choice, and its sizing share."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from bitten import logs
from bitten.domain.game.plans import (
    DEFAULT,
    PLANS,
    Strategy,
    check_shot,
    check_unlocked,
    parse_strategy,
)
from bitten.domain.game.shop import EXTRA_SHOT
from bitten.domain.game.trading_day import DEFAULT_ZONE, day_window, trading_day
from bitten.domain.mission import Mission
from bitten.ports import Repositories
from bitten.services.game.deps import Storage
from bitten.services.game.zones import profile, stored_zone, today

log = logs.get("plans")


def enforce_daily_plan(repos: Repositories, mission: Mission, now: datetime) -> None:
    """Raise PlanViolation unless this FIRE keeps to today's plan; spends a held extra shot when
    the budget is used up. The caller holds the trader's row lock (request_fire): two FIREs at
    once cannot both take the last shot."""
    trader_id = mission.trader_id
    day, tz = today(repos, trader_id, now)
    plan = PLANS[repos.game.plans.current(trader_id, day) or DEFAULT]
    signal = repos.signals.get(mission.signal_id)
    if signal is None:
        raise LookupError(f"mission {mission.id} has no signal")
    used = repos.game.plans.shots(trader_id, *day_window(day, tz))
    extras_used = repos.game.armory.used(trader_id, EXTRA_SHOT, day)
    held = repos.game.armory.held(trader_id).get(EXTRA_SHOT, 0)
    if check_shot(plan, used, extras_used, held, signal):
        repos.game.armory.use(trader_id, EXTRA_SHOT, f"{trader_id}:{day}:{mission.id}", now)


def plan_risk_shares(
    repos: Repositories, trader_ids: list[UUID], now: datetime
) -> dict[UUID, Decimal]:
    """Share of RISK_PERCENT each shot of each trader's plan may use (fan-out sizing): the plan
    in force on their current trading day, LONE_WOLF until one is chosen. One query per day."""
    zones = repos.game.profiles.zones(trader_ids)
    by_day: dict[date, list[UUID]] = {}
    for t in trader_ids:
        by_day.setdefault(trading_day(now, stored_zone(zones.get(t, DEFAULT_ZONE))), []).append(t)
    chosen: dict[UUID, Strategy] = {}
    for day, ids in by_day.items():
        chosen |= repos.game.plans.current_many(ids, day)
    return {t: PLANS[chosen.get(t, DEFAULT)].risk_share for t in trader_ids}


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
