"""Game profiles (each trader's time zone) and the referrals' game side: recruits turned active."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.records import GameProfile

COLUMNS = "trader_id, time_zone"


class PostgresGameProfiles:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def ensure(self, trader_id: UUID) -> GameProfile:
        """The trader's profile, made the first time."""
        self.cur.execute(
            "INSERT INTO game_profiles (trader_id) VALUES (%s) ON CONFLICT (trader_id) DO NOTHING",
            (trader_id,),
        )
        profile = self.get(trader_id)
        if profile is None:
            raise LookupError(f"profile of {trader_id} vanished")
        return profile

    def get(self, trader_id: UUID) -> GameProfile | None:
        self.cur.execute(f"SELECT {COLUMNS} FROM game_profiles WHERE trader_id = %s", (trader_id,))
        row = self.cur.fetchone()
        return GameProfile(**row) if row else None

    def zones(self, trader_ids: list[UUID]) -> dict[UUID, str]:
        """The time zone of each trader who has a profile."""
        self.cur.execute(
            "SELECT trader_id, time_zone FROM game_profiles WHERE trader_id = ANY(%s)",
            (trader_ids,),
        )
        return {r["trader_id"]: r["time_zone"] for r in self.cur.fetchall()}

    def set_zone(self, trader_id: UUID, zone: str) -> None:
        self.cur.execute(
            "UPDATE game_profiles SET time_zone = %s WHERE trader_id = %s", (zone, trader_id)
        )

    def recruits(self, referrer_id: UUID) -> tuple[int, int]:
        """(active, not yet active) recruits of a referrer (traders.referred_by)."""
        self.cur.execute(
            "SELECT count(*) FILTER (WHERE recruit_active_at IS NOT NULL) AS active, "
            "count(*) FILTER (WHERE recruit_active_at IS NULL) AS pending "
            "FROM traders WHERE referred_by = %s",
            (referrer_id,),
        )
        row = self.cur.fetchone()
        return (int(row["active"]), int(row["pending"])) if row else (0, 0)

    def activate_recruits(self, now: datetime) -> list[tuple[UUID, UUID]]:
        """(recruit, referrer) of each recruit who linked an account and had an order filled
        since the last call; each is returned once (a compare-and-set on recruit_active_at)."""
        self.cur.execute(
            "UPDATE traders t SET recruit_active_at = %s "
            "WHERE t.referred_by IS NOT NULL AND t.recruit_active_at IS NULL "
            "AND EXISTS (SELECT 1 FROM broker_accounts b WHERE b.trader_id = t.id) "
            "AND EXISTS (SELECT 1 FROM missions m JOIN fires f ON f.mission_id = m.id "
            "WHERE m.trader_id = t.id AND f.state = 'filled') "
            "RETURNING t.id, t.referred_by",
            (now,),
        )
        return [(r["id"], r["referred_by"]) for r in self.cur.fetchall()]
