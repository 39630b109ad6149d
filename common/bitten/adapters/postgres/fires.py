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
from bitten.domain.trade import TrackedPosition, slippage_pips

FIRE = (
    "mission_id, state, attempt, client_id, order_request AS order, retcode, message, "
    "claimed_at, updated_at"
)

TRACKED = (
    "SELECT p.mission_id, p.ticket, p.symbol, p.side, p.volume, p.price_open, "
    "p.opened_at, m.trader_id, m.signal_id, b.login, t.telegram_id, f.client_id "
    "FROM positions p JOIN missions m ON m.id = p.mission_id "
    "JOIN fires f ON f.mission_id = p.mission_id "
    "JOIN broker_accounts b ON b.trader_id = m.trader_id "
    "JOIN traders t ON t.id = m.trader_id "
)


class PostgresFires:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def get(self, mission_id: UUID) -> Fire | None:
        self.cur.execute(f"SELECT {FIRE} FROM fires WHERE mission_id = %s", (mission_id,))
        row = self.cur.fetchone()
        return Fire(**row) if row else None

    def by_client_id(self, client_id: str) -> Fire | None:
        self.cur.execute(f"SELECT {FIRE} FROM fires WHERE client_id = %s", (client_id,))
        row = self.cur.fetchone()
        return Fire(**row) if row else None

    def claim(self, mission_id: UUID, attempt: int, client_id: str, now: datetime) -> None:
        """Claim attempt `attempt`: a new fire, or a released one taken up again; TransitionLost
        when the mission's fire is in any other state or already at this attempt."""
        FIRE_STATES.check(None, FireState.CLAIMED)
        FIRE_STATES.check(FireState.RELEASED, FireState.CLAIMED)
        self.cur.execute(
            "INSERT INTO fires (mission_id, id, attempt, client_id, state, claimed_at, updated_at) "
            "VALUES (%s,%s,%s,%s,'claimed',%s,%s) ON CONFLICT (mission_id) DO UPDATE SET "
            "state = 'claimed', attempt = EXCLUDED.attempt, claimed_at = EXCLUDED.claimed_at, "
            "updated_at = EXCLUDED.updated_at, retcode = NULL, message = '', order_request = NULL "
            "WHERE fires.state = 'released' AND fires.attempt < EXCLUDED.attempt",
            (mission_id, uuid.uuid4(), attempt, client_id, now, now),
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

    def resend(self, mission_id: UUID, order: OrderRequest, now: datetime) -> None:
        """Keep the order re-sent after a requote (same client id); only while `sent`."""
        self.cur.execute(
            "UPDATE fires SET order_request = %s, updated_at = %s "
            "WHERE mission_id = %s AND state = 'sent'",
            (Jsonb(order.model_dump(mode="json")), now, mission_id),
        )
        if self.cur.rowcount != 1:
            raise lost("fire", mission_id, FireState.SENT, FireState.SENT)

    def pending(self, stale_before: datetime) -> list[PendingFire]:
        """Fires in 'unknown' or stuck in 'claimed'/'sent', and requested missions with no fire
        (or only a released one from an earlier attempt)."""
        self.cur.execute(
            "SELECT m.id AS mission_id, b.login, m.fire_attempts AS attempt, "
            "CASE WHEN f.attempt = m.fire_attempts THEN f.state END AS state, "
            "f.order_request AS order, "
            "CASE WHEN f.attempt = m.fire_attempts THEN f.updated_at "
            "ELSE m.fire_requested_at END AS since FROM missions m "
            "JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "LEFT JOIN fires f ON f.mission_id = m.id "
            "WHERE f.state = 'unknown' OR "
            "(f.state IN ('claimed', 'sent') AND f.updated_at < %s) OR "
            "((f.mission_id IS NULL OR f.state = 'released') AND m.status = 'fire_requested' "
            "AND m.fire_requested_at < %s)",
            (stale_before, stale_before),
        )
        return [PendingFire(**row) for row in self.cur.fetchall()]

    def open_position(
        self,
        mission_id: UUID,
        result: OrderResult,
        order: OrderRequest,
        requested_price: Decimal,
        currency: str,
    ) -> Decimal:
        """Record the fill with its slippage against `requested_price`; returns the slippage."""
        price = result.price if result.price is not None else requested_price
        slip = slippage_pips(order.side, order.symbol, requested_price, price)
        self.cur.execute(
            "INSERT INTO positions (mission_id, ticket, symbol, side, volume, price_open, "
            "opened_at, requested_price, slippage_pips, currency, open_deal) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                mission_id,
                result.position,
                order.symbol,
                order.side,
                result.volume or order.volume,
                price,
                result.time,
                requested_price,
                slip,
                currency,
                result.deal,
            ),
        )
        return slip

    def open_positions(self) -> list[TrackedPosition]:
        """Open positions with the login and trader needed to sync them."""
        self.cur.execute(TRACKED + "WHERE p.closed_at IS NULL")
        return [TrackedPosition(**row) for row in self.cur.fetchall()]

    def tracked(self, mission_id: UUID) -> TrackedPosition | None:
        """The mission's open position, or None (none, or already closed)."""
        self.cur.execute(TRACKED + "WHERE p.closed_at IS NULL AND p.mission_id = %s", (mission_id,))
        row = self.cur.fetchone()
        return TrackedPosition(**row) if row else None

    def close_position(self, mission_id: UUID, deal: ClosedDeal, pips: Decimal) -> bool:
        """Record the exit deal once; False when the position was already closed."""
        self.cur.execute(
            "UPDATE positions SET price_close = %s, close_reason = %s, profit = %s, pips = %s, "
            "closed_at = %s, close_deal = %s, commission = %s, swap = %s "
            "WHERE mission_id = %s AND closed_at IS NULL",
            (
                deal.price,
                deal.reason,
                deal.profit,
                pips,
                deal.time,
                deal.deal,
                deal.commission,
                deal.swap,
                mission_id,
            ),
        )
        return self.cur.rowcount == 1
