"""Game profiles: each trader's time zone and referral link."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.records import GameProfile

COLUMNS = "trader_id, time_zone, referral_code, referred_by, referred_at, active_at"


class PostgresGameProfiles:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def ensure(self, trader_id: UUID, code: str) -> GameProfile:
        """The trader's profile, made with `code` the first time."""
        self.cur.execute(
            "INSERT INTO game_profiles (trader_id, referral_code) VALUES (%s, %s) "
            "ON CONFLICT (trader_id) DO NOTHING",
            (trader_id, code),
        )
        profile = self.get(trader_id)
        if profile is None:
            raise LookupError(f"profile of {trader_id} vanished")
        return profile

    def get(self, trader_id: UUID) -> GameProfile | None:
        self.cur.execute(f"SELECT {COLUMNS} FROM game_profiles WHERE trader_id = %s", (trader_id,))
        row = self.cur.fetchone()
        return GameProfile(**row) if row else None

    def by_code(self, code: str) -> GameProfile | None:
        self.cur.execute(f"SELECT {COLUMNS} FROM game_profiles WHERE referral_code = %s", (code,))
        row = self.cur.fetchone()
        return GameProfile(**row) if row else None

    def set_zone(self, trader_id: UUID, zone: str) -> None:
        self.cur.execute(
            "UPDATE game_profiles SET time_zone = %s WHERE trader_id = %s", (zone, trader_id)
        )

    def enlist(self, recruit_id: UUID, referrer_id: UUID, at: datetime) -> bool:
        """Name the recruit's referrer, once: False when one is already named."""
        self.cur.execute(
            "UPDATE game_profiles SET referred_by = %s, referred_at = %s "
            "WHERE trader_id = %s AND referred_by IS NULL",
            (referrer_id, at, recruit_id),
        )
        return self.cur.rowcount == 1

    def recruits(self, referrer_id: UUID) -> tuple[int, int]:
        """(active, not yet active) recruits of a referrer."""
        self.cur.execute(
            "SELECT count(*) FILTER (WHERE active_at IS NOT NULL) AS active, "
            "count(*) FILTER (WHERE active_at IS NULL) AS pending "
            "FROM game_profiles WHERE referred_by = %s",
            (referrer_id,),
        )
        row = self.cur.fetchone()
        return (int(row["active"]), int(row["pending"])) if row else (0, 0)

    def activate_recruits(self, now: datetime) -> list[tuple[UUID, UUID]]:
        """(recruit, referrer) of each recruit who linked an account and had an order filled
        since the last call; each is returned once (a compare-and-set on active_at)."""
        self.cur.execute(
            "UPDATE game_profiles g SET active_at = %s "
            "WHERE g.referred_by IS NOT NULL AND g.active_at IS NULL "
            "AND EXISTS (SELECT 1 FROM broker_accounts b WHERE b.trader_id = g.trader_id) "
            "AND EXISTS (SELECT 1 FROM missions m JOIN fires f ON f.mission_id = m.id "
            "WHERE m.trader_id = g.trader_id AND f.state = 'filled') "
            "RETURNING g.trader_id, g.referred_by",
            (now,),
        )
        return [(r["trader_id"], r["referred_by"]) for r in self.cur.fetchall()]
