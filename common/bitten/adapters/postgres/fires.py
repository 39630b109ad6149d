"""Fires (one per mission, compare-and-set state changes) and the positions they opened."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.broker import ClosedDeal, OrderRequest, OrderResult
from bitten.domain.fire import FIRE_STATES, Fire, FireState, PendingFire
from bitten.domain.state import lost
from bitten.domain.trade import TrackedPosition

FIRE = "mission_id, state, order_request AS order, retcode, message, claimed_at, updated_at"


class PostgresFires:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def get(self, mission_id: UUID) -> Fire | None:
        self.cur.execute(f"SELECT {FIRE} FROM fires WHERE mission_id = %s", (mission_id,))
        row = self.cur.fetchone()
        return Fire(**row) if row else None

    def claim(self, mission_id: UUID, now: datetime) -> None:
        """Create the fire in state 'claimed'; TransitionLost if the mission already has one."""
        FIRE_STATES.check(None, FireState.CLAIMED)
        self.cur.execute(
            "INSERT INTO fires (mission_id, id, state, claimed_at, updated_at) "
            "VALUES (%s,%s,'claimed',%s,%s) ON CONFLICT DO NOTHING",
            (mission_id, uuid.uuid4(), now, now),
        )
        if self.cur.rowcount != 1:
            raise lost("fire", mission_id, None, FireState.CLAIMED)

    def transition(
        self,
        mission_id: UUID,
        expected: FireState,
        target: FireState,
        now: datetime,
        *,
        retcode: int | None = None,
        message: str = "",
        order: OrderRequest | None = None,
    ) -> None:
        """Move `expected -> target`; IllegalTransition or TransitionLost write nothing."""
        FIRE_STATES.check(expected, target)
        sent = Jsonb(order.model_dump(mode="json")) if order else None
        self.cur.execute(
            "UPDATE fires SET state = %s, retcode = coalesce(%s, retcode), message = %s, "
            "order_request = coalesce(%s, order_request), updated_at = %s "
            "WHERE mission_id = %s AND state = %s",
            (target.value, retcode, message, sent, now, mission_id, expected.value),
        )
        if self.cur.rowcount != 1:
            raise lost("fire", mission_id, expected, target)

    def pending(self, stale_before: datetime) -> list[PendingFire]:
        """Fires in 'unknown' or stuck in 'claimed'/'sent', and requested missions with no fire."""
        self.cur.execute(
            "SELECT m.id AS mission_id, b.login, f.state, f.order_request AS order, "
            "coalesce(f.updated_at, r.requested_at) AS since FROM missions m "
            "JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "LEFT JOIN fires f ON f.mission_id = m.id LEFT JOIN LATERAL (SELECT max(requested_at) "
            "AS requested_at FROM fire_requests WHERE mission_id = m.id AND accepted) r ON true "
            "WHERE f.state = 'unknown' OR "
            "(f.state IN ('claimed', 'sent') AND f.updated_at < %s) OR "
            "(f.mission_id IS NULL AND m.status = 'fire_requested' AND r.requested_at < %s)",
            (stale_before, stale_before),
        )
        return [PendingFire(**row) for row in self.cur.fetchall()]

    def open_position(self, mission_id: UUID, result: OrderResult, order: OrderRequest) -> None:
        self.cur.execute(
            "INSERT INTO positions "
            "(mission_id, ticket, symbol, side, volume, price_open, opened_at)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s)",
            (
                mission_id,
                result.position,
                order.symbol,
                order.side,
                result.volume,
                result.price,
                result.time,
            ),
        )

    def open_positions(self) -> list[TrackedPosition]:
        """Open positions with the login and trader needed to sync them."""
        self.cur.execute(
            "SELECT p.mission_id, p.ticket, p.symbol, p.side, p.volume, p.price_open, "
            "p.opened_at, m.trader_id, m.signal_id, b.login, t.telegram_id FROM positions p "
            "JOIN missions m ON m.id = p.mission_id "
            "JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "JOIN traders t ON t.id = m.trader_id WHERE p.closed_at IS NULL"
        )
        return [TrackedPosition(**row) for row in self.cur.fetchall()]

    def close_position(self, mission_id: UUID, deal: ClosedDeal, pips: Decimal) -> bool:
        """Record the exit deal once; False when the position was already closed."""
        self.cur.execute(
            "UPDATE positions SET price_close = %s, close_reason = %s, profit = %s, pips = %s, "
            "closed_at = %s WHERE mission_id = %s AND closed_at IS NULL",
            (deal.price, deal.reason, deal.profit, pips, deal.time, mission_id),
        )
        return self.cur.rowcount == 1
