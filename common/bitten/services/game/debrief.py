"""Reading the drill report: marked once per day, worth XP once."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from bitten.domain.game.records import StoredDrill
from bitten.domain.xp import drill_read_award
from bitten.services.game.achievements import evaluate_achievements
from bitten.services.game.deps import Storage


def read_drill(trader_id: UUID, day: date | None, deps: Storage) -> tuple[StoredDrill | None, bool]:
    """(the report of `day`, or the latest; whether this read earned XP)."""
    now = deps.clock.now()
    with deps.uow() as repos:
        drills = repos.game.drills
        report = drills.of_day(trader_id, day) if day else drills.latest(trader_id)
        if report is None:
            return None, False
        first = repos.game.drills.mark_read(trader_id, report.day, now)
        earned = first and repos.game.xp.award(drill_read_award(trader_id, report.day), now)
        trader = repos.traders.get(trader_id)
        if earned and trader is not None:
            evaluate_achievements(repos, {trader_id: trader.telegram_id}, now)
    return report, earned
