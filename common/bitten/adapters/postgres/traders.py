"""Traders and their broker accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.broker import Side
from bitten.domain.tiers import Tier
from bitten.domain.trader import Trader

SELECT = (
    "SELECT t.*, b.login AS broker_login, coalesce(b.demo, false) AS demo_account "
    "FROM traders t LEFT JOIN broker_accounts b ON b.trader_id = t.id "
)


class PostgresTraders:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def _one(self, where: str, arg: object) -> Trader | None:
        self.cur.execute(SELECT + where, (arg,))
        row = self.cur.fetchone()
        return Trader(**row) if row else None

    def get(self, trader_id: UUID) -> Trader | None:
        return self._one("WHERE t.id = %s", trader_id)

    def by_telegram(self, telegram_id: int) -> Trader | None:
        return self._one("WHERE t.telegram_id = %s", telegram_id)

    def register(self, telegram_id: int, username: str, now: datetime) -> tuple[Trader, bool]:
        """(trader, created): registering twice returns the existing trader."""
        self.cur.execute(
            "INSERT INTO traders (id, telegram_id, username, created_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (telegram_id) DO NOTHING",
            (uuid.uuid4(), telegram_id, username, now),
        )
        created = self.cur.rowcount == 1
        trader = self.by_telegram(telegram_id)
        if trader is None:  # the row was inserted or already there in this transaction
            raise LookupError(f"trader {telegram_id} vanished while registering")
        return trader, created

    def set_tier(self, trader_id: UUID, tier: Tier) -> None:
        self.cur.execute("UPDATE traders SET tier = %s WHERE id = %s", (tier.value, trader_id))

    def link_account(
        self, trader_id: UUID, login: str, demo: bool, currency: str, now: datetime
    ) -> None:
        self.cur.execute(
            "INSERT INTO broker_accounts VALUES (%s, %s, %s, %s, %s) ON CONFLICT (trader_id) "
            "DO UPDATE SET login = EXCLUDED.login, demo = EXCLUDED.demo, "
            "currency = EXCLUDED.currency, linked_at = EXCLUDED.linked_at",
            (trader_id, login, demo, currency, now),
        )

    def with_accounts(self) -> list[Trader]:
        """Every trader who has linked a broker account (candidates for missions)."""
        self.cur.execute(SELECT + "WHERE b.login IS NOT NULL ORDER BY t.created_at")
        return [Trader(**r) for r in self.cur.fetchall()]

    def open_trades(self, trader_id: UUID) -> int:
        """Trades that count against the tier limit: requested, in flight, or open at the broker."""
        return len(self.open_bets(trader_id))

    def open_bets(self, trader_id: UUID) -> list[tuple[str, Side]]:
        """(pair, direction) of each trade counted by `open_trades`."""
        self.cur.execute(
            "SELECT s.pair, s.direction FROM missions m JOIN signals s ON s.id = m.signal_id "
            "LEFT JOIN fires f ON f.mission_id = m.id "
            "LEFT JOIN positions p ON p.mission_id = m.id WHERE m.trader_id = %s AND ("
            "m.status = 'fire_requested' OR f.state IN ('claimed', 'sent', 'unknown') "
            "OR (p.mission_id IS NOT NULL AND p.closed_at IS NULL))",
            (trader_id,),
        )
        return [(r["pair"], r["direction"]) for r in self.cur.fetchall()]
