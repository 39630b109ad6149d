"""Operators find a trader (Telegram id, broker login, mission id) and see each mission's trace."""

from __future__ import annotations

from uuid import UUID

from bitten.domain.trader_trace import TraderDetail, TraderMatch
from bitten.services.throne.deps import ThroneDeps

MISSIONS_SHOWN = 10


def find_traders(q: str, deps: ThroneDeps, limit: int = 20) -> list[TraderMatch]:
    """Traders matching `q`; ValueError when there is nothing to search for."""
    if not q.strip():
        raise ValueError("search by Telegram id, broker login, mission id or @username")
    with deps.uow() as repos:
        return repos.throne.find_traders(q, limit)


def trader_detail(trader_id: UUID, deps: ThroneDeps) -> TraderDetail | None:
    """Tier, open trades and the last missions each with its whole trace; None: no such trader."""
    with deps.uow() as repos:
        trader = repos.traders.get(trader_id)
        if trader is None:
            return None
        return TraderDetail(
            trader_id=trader.id,
            telegram_id=trader.telegram_id,
            username=trader.username,
            tier=trader.tier,
            tier_expires_at=trader.tier_expires_at,
            login=trader.broker_login,
            demo=trader.demo_account if trader.broker_login else None,
            open_trades=repos.journal.open_positions(trader.id),
            missions=repos.throne.mission_traces(trader.id, MISSIONS_SHOWN),
        )
