"""XP on a closed trade: the ledger award `record_close` makes (issue 12's hook there)."""

from __future__ import annotations

from bitten.domain.broker import ClosedDeal
from bitten.domain.trade import TrackedPosition
from bitten.domain.xp import trade_awards
from bitten.ports import Repositories
from bitten.services.game.achievements import evaluate_achievements


def award_trade_close(repos: Repositories, position: TrackedPosition, deal: ClosedDeal) -> int:
    """Inside the close's transaction: the trade's XP (once per mission, whoever records the
    close) and any achievement the close completes. Returns the XP events written."""
    awards = trade_awards(position.trader_id, position.mission_id, deal.reason)
    written = repos.game.xp.award_many(awards, deal.time)
    evaluate_achievements(repos, {position.trader_id: position.telegram_id}, deal.time)
    return written
