"""Daily drill reports: written once per (trader, trading day) when 18:00 passes in their zone.

The report row is the once-only key: a chunk's streaks, XP and outbox notices are written only
for the traders whose row this transaction inserted, so overlapping scheduler runs do nothing
twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bitten.domain.game.achievements import Achievement
from bitten.domain.game.drill import DayStats
from bitten.domain.game.plans import DEFAULT, PLANS, Strategy
from bitten.domain.game.records import DrillCandidate, Notice, NoticeKind, StoredDrill
from bitten.domain.game.report import DrillReport, assess, render
from bitten.domain.game.shop import STREAK_SHIELD
from bitten.domain.game.streaks import Cover, DayOutcome, StreakState, advance, day_outcome
from bitten.domain.game.trading_day import (
    UnknownTimeZone,
    day_window,
    due_day,
    is_market_day,
    zone,
)
from bitten.domain.xp import XpAward, day_awards, day_reference
from bitten.ports import Repositories
from bitten.services.game.achievements import unlock_achievements
from bitten.services.game.deps import GameTickDeps

MAX_CHUNKS = 1000  # a bound, never reached: each chunk's rows leave the due list


@dataclass
class Draft:
    """One trader's report before the insert decides whether this run owns it."""

    candidate: DrillCandidate
    report: DrillReport
    stored: StoredDrill
    awards: list[XpAward] = field(default_factory=list)
    send: bool = True


def due_zones(names: list[str], now: datetime) -> dict[str, date]:
    """Zone -> the day whose drill is due there now (zones before 18:00 are left out)."""
    due = {}
    for name in names:
        try:
            day = due_day(now, zone(name))
        except UnknownTimeZone:
            continue
        if day is not None:
            due[name] = day
    return due


def build_due_drills(deps: GameTickDeps) -> int:
    """Write every due report, a chunk of traders per transaction; returns reports written."""
    now = deps.now()
    with deps.uow() as repos:
        due = due_zones(repos.game.drills.zones(), now)
    written = 0
    for _ in range(MAX_CHUNKS if due else 0):
        with deps.uow() as repos:
            batch = repos.game.drills.due(due, deps.chunk)
            by_zone: dict[str, list[DrillCandidate]] = {}
            for c in batch:
                by_zone.setdefault(c.time_zone, []).append(c)
            for name, group in by_zone.items():
                written += _write_zone(repos, group, zone(name), due[name], now)
        if len(batch) < deps.chunk:
            break
    return written


def _write_zone(
    repos: Repositories, group: list[DrillCandidate], tz: ZoneInfo, day: date, now: datetime
) -> int:
    ids = [c.trader_id for c in group]
    start, end = day_window(day, tz)
    stats = repos.game.drills.day_stats(ids, start, end, day)
    plans = repos.game.plans.current_many(ids, day)
    streaks = repos.game.drills.streaks(ids)
    shields = repos.game.armory.held_many(ids, STREAK_SHIELD)
    market = is_market_day(day, tz)
    drafts = [
        _draft(
            c,
            stats[c.trader_id],
            plans.get(c.trader_id),
            streaks[c.trader_id],
            shields[c.trader_id],
            market,
            now,
        )
        for c in group
    ]
    mine = repos.game.drills.add([d.stored for d in drafts])
    kept = [d for d in drafts if d.candidate.trader_id in mine]
    _apply(repos, kept, day, end - timedelta(seconds=1), now)
    return len(kept)


def _draft(
    c: DrillCandidate,
    raw: DayStats,
    strategy: Strategy | None,
    streak: StreakState,
    shields: int,
    market: bool,
    now: datetime,
) -> Draft:
    """One trader's day: plan, streak step, day XP, then the report (not yet written)."""
    plan = PLANS[strategy or DEFAULT]
    allowed = plan.shots_per_day + raw.extra_shots
    stats = raw.model_copy(
        update={"plan": plan.strategy.value, "currency": c.currency, "shots_allowed": allowed}
    )
    broken = bool(stats.abandoned) or stats.refusals > 0
    outcome = day_outcome(market, stats.missions, stats.shots, broken)
    step = advance(streak, stats.day, outcome, shields)
    awards = day_awards(c.trader_id, stats.day, outcome is DayOutcome.FOLLOWED, step.state.current)
    stats = stats.model_copy(update={"xp": stats.xp + sum(a.amount for a in awards)})
    score, tone, lesson = assess(stats)
    report = DrillReport(
        stats=stats,
        discipline=score,
        tone=tone,
        lesson=lesson,
        outcome=outcome,
        streak=step.state,
        cover=step.cover,
        zone=c.time_zone,
    )
    # Weekends and holidays with nothing to say are stored (the streak needs them), not sent.
    send = market or stats.acted or stats.refusals > 0
    return Draft(c, report, _stored(c, report, now), awards, send=send)


def _stored(c: DrillCandidate, r: DrillReport, now: datetime) -> StoredDrill:
    return StoredDrill(
        id=uuid.uuid4(),
        trader_id=c.trader_id,
        day=r.stats.day,
        tone=r.tone.value,
        discipline=r.discipline,
        outcome=r.outcome.value,
        cover=r.cover.value if r.cover else None,
        zone=c.time_zone,
        text=render(r),
        stats=r.stats,
        created_at=now,
    )


def _apply(
    repos: Repositories, kept: list[Draft], day: date, earned_at: datetime, now: datetime
) -> None:
    """Streaks, XP, shields, notices and achievements of the reports this run wrote."""
    if not kept:
        return
    repos.game.drills.save_streaks({d.candidate.trader_id: d.report.streak for d in kept})
    repos.game.xp.award_many([a for d in kept for a in d.awards], earned_at)
    for d in kept:
        if d.report.cover is Cover.SHIELD:
            repos.game.armory.use(
                d.candidate.trader_id, STREAK_SHIELD, day_reference(d.candidate.trader_id, day), now
            )
    # The drill report announces what the day unlocked: one message a trader at 18:00.
    new = unlock_achievements(repos, [d.candidate.trader_id for d in kept], now)
    notices = [
        _notice(d, new.get(d.candidate.trader_id, []))
        for d in kept
        if d.send or d.candidate.trader_id in new
    ]
    repos.game.notices.add(notices, now)


def _notice(d: Draft, unlocked: list[Achievement]) -> Notice:
    c = d.candidate
    lines = [f"New: {a.name} - {a.grade}" + (f" (+{a.xp} XP)" if a.xp else "") for a in unlocked]
    return Notice(
        id=uuid.uuid4(),
        trader_id=c.trader_id,
        chat_id=c.telegram_id,
        kind=NoticeKind.DRILL,
        reference=day_reference(c.trader_id, d.stored.day),
        text="\n".join([d.stored.text, *lines]),
        button=f"drill:{d.stored.day.isoformat()}",
    )
