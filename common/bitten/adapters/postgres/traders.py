"""Traders, their broker accounts, referrals and paid-tier windows."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from psycopg import errors

from bitten.adapters.postgres import Cursor
from bitten.domain.broker import Side
from bitten.domain.tiers import Tier
from bitten.domain.trader import Trader

SELECT = (
    "SELECT t.*, b.login AS broker_login, coalesce(b.demo, false) AS demo_account, "
    "coalesce(b.currency, 'USD') AS account_currency "
    "FROM traders t LEFT JOIN broker_accounts b ON b.trader_id = t.id "
)

OPEN_BETS = (
    "SELECT m.trader_id, s.pair, s.direction FROM missions m "
    "JOIN signals s ON s.id = m.signal_id LEFT JOIN fires f ON f.mission_id = m.id "
    "LEFT JOIN positions p ON p.mission_id = m.id "
)
IS_OPEN = (
    "(m.status = 'fire_requested' OR f.state IN ('claimed', 'sent', 'unknown') "
    "OR (p.mission_id IS NOT NULL AND p.closed_at IS NULL))"
)


class PostgresTraders:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def _one(self, where: str, arg: object) -> Trader | None:
        self.cur.execute(SELECT + where, (arg,))
        row = self.cur.fetchone()
        return Trader(**row) if row else None

    def get(self, trader_id: UUID, lock: bool = False) -> Trader | None:
        """The trader; `lock` holds their row to the end of the transaction, so two FIRE taps
        of one trader count each other's trades against the tier limit."""
        return self._one("WHERE t.id = %s" + (" FOR UPDATE OF t" if lock else ""), trader_id)

    def get_many(self, trader_ids: list[UUID]) -> dict[UUID, Trader]:
        self.cur.execute(SELECT + "WHERE t.id = ANY(%s)", (trader_ids,))
        return {r["id"]: Trader(**r) for r in self.cur.fetchall()}

    def by_telegram(self, telegram_id: int) -> Trader | None:
        return self._one("WHERE t.telegram_id = %s", telegram_id)

    def by_login(self, login: str) -> Trader | None:
        return self._one("WHERE b.login = %s", login)

    def by_referral(self, code: str) -> Trader | None:
        return self._one("WHERE t.referral_code = %s", code.upper())

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

    def set_referrer(self, trader_id: UUID, referrer_id: UUID) -> bool:
        """Record who referred a trader, once, never themselves."""
        self.cur.execute(
            "UPDATE traders SET referred_by = %s WHERE id = %s AND referred_by IS NULL "
            "AND id <> %s",
            (referrer_id, trader_id, referrer_id),
        )
        return self.cur.rowcount == 1

    def referrals(self, trader_id: UUID) -> int:
        self.cur.execute("SELECT count(*) AS n FROM traders WHERE referred_by = %s", (trader_id,))
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def set_tier(self, trader_id: UUID, tier: Tier, expires_at: datetime | None = None) -> None:
        """Set the tier; `expires_at` is the end of a paid window (None: no end)."""
        self.cur.execute(
            "UPDATE traders SET tier = %s, tier_expires_at = %s WHERE id = %s",
            (tier.value, expires_at, trader_id),
        )

    def tiers_due(self, now: datetime) -> list[Trader]:
        """Traders whose paid window has ended, locked until the transaction ends."""
        self.cur.execute(
            SELECT + "WHERE t.tier_expires_at <= %s ORDER BY t.tier_expires_at FOR UPDATE OF t",
            (now,),
        )
        return [Trader(**r) for r in self.cur.fetchall()]

    def link_account(
        self, trader_id: UUID, login: str, demo: bool, currency: str, now: datetime
    ) -> bool:
        """Link (or relink) the trader's account; False when another trader holds the login."""
        try:
            with self.cur.connection.transaction():  # a savepoint: the race loses cleanly
                self.cur.execute(
                    "INSERT INTO broker_accounts (trader_id, login, demo, currency, linked_at, "
                    "verified_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (trader_id) "
                    "DO UPDATE SET login = EXCLUDED.login, demo = EXCLUDED.demo, "
                    "currency = EXCLUDED.currency, linked_at = EXCLUDED.linked_at, "
                    "verified_at = EXCLUDED.verified_at",
                    (trader_id, login, demo, currency, now, now),
                )
        except errors.UniqueViolation:
            return False
        return True

    def unlink_account(self, trader_id: UUID) -> str | None:
        """Remove the trader's account link; the login it had, or None."""
        self.cur.execute(
            "DELETE FROM broker_accounts WHERE trader_id = %s RETURNING login", (trader_id,)
        )
        row = self.cur.fetchone()
        return str(row["login"]) if row else None

    def with_accounts(self) -> list[Trader]:
        """Every trader who has linked a broker account (candidates for missions)."""
        self.cur.execute(SELECT + "WHERE b.login IS NOT NULL ORDER BY t.created_at")
        return [Trader(**r) for r in self.cur.fetchall()]

    def open_trades(self, trader_id: UUID) -> int:
        """Trades that count against the tier limit: requested, in flight, or open at the broker."""
        return len(self.open_bets(trader_id))

    def open_bets(self, trader_id: UUID) -> list[tuple[str, Side]]:
        """(pair, direction) of each trade counted by `open_trades`."""
        self.cur.execute(OPEN_BETS + "WHERE m.trader_id = %s AND " + IS_OPEN, (trader_id,))
        return [(r["pair"], r["direction"]) for r in self.cur.fetchall()]

    def open_bets_all(self) -> dict[UUID, list[tuple[str, Side]]]:
        """Every trader's open bets in one query (fan-out)."""
        self.cur.execute(OPEN_BETS + "WHERE " + IS_OPEN)
        bets: dict[UUID, list[tuple[str, Side]]] = {}
        for r in self.cur.fetchall():
            bets.setdefault(r["trader_id"], []).append((r["pair"], r["direction"]))
        return bets
