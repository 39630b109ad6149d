"""Fire state machine rows and the positions they opened."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from bitten.domain.broker import ClosedDeal, OrderResult


class FireRepo:
    def __init__(self, cur: Any) -> None:
        self.cur = cur

    def claim(self, mission_id: UUID, now: datetime) -> bool:
        """Create the fire row in state 'claimed'; False if the mission already has one."""
        self.cur.execute(
            "INSERT INTO fires VALUES (%s,%s,'claimed',NULL,'',%s,%s) ON CONFLICT DO NOTHING",
            (mission_id, uuid.uuid4(), now, now),
        )
        return self.cur.rowcount == 1

    def state(self, mission_id: UUID) -> str | None:
        self.cur.execute("SELECT state FROM fires WHERE mission_id = %s", (mission_id,))
        row = self.cur.fetchone()
        return row["state"] if row else None

    def set_state(
        self,
        mission_id: UUID,
        state: str,
        now: datetime,
        retcode: int | None = None,
        message: str = "",
    ) -> None:
        self.cur.execute(
            "UPDATE fires SET state = %s, retcode = coalesce(%s, retcode), message = %s, "
            "updated_at = %s WHERE mission_id = %s",
            (state, retcode, message, now, mission_id),
        )

    def needing_reconcile(self, stale_before: datetime) -> list[dict[str, Any]]:
        """Fires in 'unknown' or stuck in 'claimed'/'sent', and requested missions with no fire."""
        self.cur.execute(
            "SELECT m.id AS mission_id, s.pair, s.direction, m.lots, m.sl_price, m.tp_price, "
            "b.login, coalesce(f.updated_at, r.requested_at) AS updated_at FROM missions m "
            "JOIN signals s ON s.id = m.signal_id "
            "JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "LEFT JOIN fires f ON f.mission_id = m.id LEFT JOIN LATERAL (SELECT max(requested_at) "
            "AS requested_at FROM fire_requests WHERE mission_id = m.id AND accepted) r ON true "
            "WHERE f.state = 'unknown' OR "
            "(f.state IN ('claimed', 'sent') AND f.updated_at < %s) OR "
            "(f.mission_id IS NULL AND m.status = 'fire_requested' AND r.requested_at < %s)",
            (stale_before, stale_before),
        )
        return list(self.cur.fetchall())

    def open_position(self, mission_id: UUID, result: OrderResult, symbol: str, side: str) -> None:
        self.cur.execute(
            "INSERT INTO positions "
            "(mission_id, ticket, symbol, side, volume, price_open, opened_at)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (mission_id, result.position, symbol, side, result.volume, result.price, result.time),
        )

    def open_positions(self) -> list[dict[str, Any]]:
        """Open positions with the login and trader needed to sync them."""
        self.cur.execute(
            "SELECT p.*, m.trader_id, m.signal_id, b.login, t.telegram_id FROM positions p "
            "JOIN missions m ON m.id = p.mission_id "
            "JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "JOIN traders t ON t.id = m.trader_id WHERE p.closed_at IS NULL"
        )
        return list(self.cur.fetchall())

    def close_position(self, mission_id: UUID, deal: ClosedDeal, pips: Decimal) -> bool:
        self.cur.execute(
            "UPDATE positions SET price_close = %s, close_reason = %s, profit = %s, pips = %s, "
            "closed_at = %s WHERE mission_id = %s AND closed_at IS NULL",
            (deal.price, deal.reason, deal.profit, pips, deal.time, mission_id),
        )
        return self.cur.rowcount == 1
