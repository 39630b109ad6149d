"""Read models of the War Room's game sections and the bot commands (JSON shapes in README)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.game.achievements import TraderRecord, by_code, next_targets
from bitten.domain.game.referrals import next_rank, rank_for
from bitten.domain.game.season import season_of
from bitten.domain.game.shop import STREAK_SHIELD
from bitten.domain.game.streaks import grace_left
from bitten.domain.xp import XpEvent
from bitten.ports import UnitOfWork
from bitten.services.game.zones import today


class XpView(BaseModel):
    balance: int
    earned: int
    season_xp: int
    recent: list[XpEvent]


class StreakView(BaseModel):
    current: int
    best: int
    last_day: date | None
    grace_left_this_week: bool
    shields: int


class RankView(BaseModel):
    referral_code: str  # the /start payload: t.me/<bot>?start=<code>
    rank: str
    active_recruits: int
    pending_recruits: int
    next_rank: str | None
    recruits_to_next: int | None
    referred: bool


class AchievementCard(BaseModel):
    code: str
    name: str
    grade: str
    category: str
    description: str
    xp: int
    unlocked_at: datetime | None = None
    progress: int | None = None  # toward a locked one


class AchievementsView(BaseModel):
    unlocked: list[AchievementCard]
    next: list[AchievementCard]


def xp_view(trader_id: UUID, uow: UnitOfWork, now: datetime, recent: int = 10) -> XpView:
    season = season_of(now)
    with uow() as repos:
        totals = repos.game.xp.totals(trader_id, season.starts_at, season.ends_at)
        events = repos.game.xp.recent(trader_id, recent)
    return XpView(**totals.model_dump(), recent=events)


def streak_view(trader_id: UUID, uow: UnitOfWork, now: datetime) -> StreakView:
    with uow() as repos:
        state = repos.game.drills.streaks([trader_id])[trader_id]
        day, _ = today(repos, trader_id, now)
        shields = repos.game.armory.held(trader_id).get(STREAK_SHIELD, 0)
    return StreakView(
        current=state.current,
        best=state.best,
        last_day=state.last_day,
        grace_left_this_week=grace_left(state, day),
        shields=shields,
    )


def rank_view(trader_id: UUID, uow: UnitOfWork) -> RankView:
    with uow() as repos:
        me = repos.traders.get(trader_id)
        active, pending = repos.game.profiles.recruits(trader_id)
    if me is None:
        raise LookupError(f"trader {trader_id} does not exist")
    nxt = next_rank(active)
    return RankView(
        referral_code=me.referral_code,
        rank=rank_for(active).name,
        active_recruits=active,
        pending_recruits=pending,
        next_rank=nxt.name if nxt else None,
        recruits_to_next=nxt.recruits - active if nxt else None,
        referred=me.referred_by is not None,
    )


def achievements_view(trader_id: UUID, uow: UnitOfWork) -> AchievementsView:
    with uow() as repos:
        held = dict(repos.game.achievements.unlocked(trader_id))
        record = repos.game.achievements.records([trader_id]).get(trader_id, TraderRecord())
    catalog = by_code()
    unlocked = [
        AchievementCard(
            **catalog[c].model_dump(include=set(AchievementCard.model_fields)), unlocked_at=at
        )
        for c, at in held.items()
        if c in catalog
    ]
    upcoming = [
        AchievementCard(
            **a.model_dump(include=set(AchievementCard.model_fields)),
            progress=record.value(a.metric),
        )
        for a in next_targets(set(held))
    ]
    return AchievementsView(unlocked=unlocked, next=upcoming)
