"""Stars payments: one row per telegram_payment_charge_id."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.subscription import StarPayment

COLUMNS = "charge_id, trader_id, tier, stars, paid_at, starts_at, expires_at, refunded_at, source"


class PostgresSubscriptions:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def add(self, p: StarPayment) -> bool:
        """Store a payment; False when this charge was already recorded (a redelivery)."""
        self.cur.execute(
            f"INSERT INTO star_payments ({COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (charge_id) DO NOTHING",
            (
                p.charge_id,
                p.trader_id,
                p.tier.value,
                p.stars,
                p.paid_at,
                p.starts_at,
                p.expires_at,
                p.refunded_at,
                p.source,
            ),
        )
        return self.cur.rowcount == 1

    def get(self, charge_id: str) -> StarPayment | None:
        self.cur.execute(
            f"SELECT {COLUMNS} FROM star_payments WHERE charge_id = %s FOR UPDATE", (charge_id,)
        )
        row = self.cur.fetchone()
        return StarPayment(**row) if row else None

    def active(self, trader_id: UUID, now: datetime) -> list[StarPayment]:
        """Payments still covering time, latest end first (refunded ones excluded)."""
        self.cur.execute(
            f"SELECT {COLUMNS} FROM star_payments WHERE trader_id = %s AND refunded_at IS NULL "
            "AND expires_at > %s ORDER BY expires_at DESC",
            (trader_id, now),
        )
        return [StarPayment(**r) for r in self.cur.fetchall()]

    def refund(self, charge_id: str, now: datetime) -> bool:
        """Mark refunded once; False when it already was."""
        self.cur.execute(
            "UPDATE star_payments SET refunded_at = %s WHERE charge_id = %s "
            "AND refunded_at IS NULL",
            (now, charge_id),
        )
        return self.cur.rowcount == 1

    def revoke_grants(self, trader_id: UUID, now: datetime) -> int:
        """Take back the operator-granted windows still covering time; how many there were."""
        self.cur.execute(
            "UPDATE star_payments SET refunded_at = %s WHERE trader_id = %s "
            "AND source = 'operator' AND refunded_at IS NULL AND expires_at > %s",
            (now, trader_id, now),
        )
        return self.cur.rowcount
