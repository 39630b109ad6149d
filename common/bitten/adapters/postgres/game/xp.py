"""The XP ledger: append-only events unique per (kind, reference), traders.xp their running sum."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.records import XpTotals
from bitten.domain.xp import NOT_SEASON, XpAward, XpEvent

# One statement: the event and the balance it moves, or (key already taken) neither.
AWARD = (
    "WITH ins AS (INSERT INTO xp_events (trader_id, kind, amount, reference, note, at) "
    "SELECT * FROM unnest(%s::uuid[], %s::text[], %s::int[], %s::text[], %s::text[], "
    "%s::timestamptz[]) ON CONFLICT (kind, reference) DO NOTHING RETURNING trader_id, amount), "
    "upd AS (UPDATE traders t SET xp = t.xp + s.amount FROM (SELECT trader_id, sum(amount) "
    "AS amount FROM ins GROUP BY trader_id) s WHERE t.id = s.trader_id) "
    "SELECT count(*) AS n FROM ins"
)


class PostgresXpLedger:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def award(self, award: XpAward, at: datetime) -> bool:
        """True when this (kind, reference) was new and the XP moved."""
        return self.award_many([award], at) == 1

    def award_many(self, awards: list[XpAward], at: datetime) -> int:
        """Write every award whose key is new; returns how many were."""
        if not awards:
            return 0
        columns = (
            [a.trader_id for a in awards],
            [a.kind.value for a in awards],
            [a.amount for a in awards],
            [a.reference for a in awards],
            [a.note for a in awards],
            [at] * len(awards),
        )
        self.cur.execute(AWARD, columns)
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def lock_balance(self, trader_id: UUID) -> int:
        """The balance, with the trader's row locked until the transaction ends."""
        self.cur.execute("SELECT xp FROM traders WHERE id = %s FOR UPDATE", (trader_id,))
        row = self.cur.fetchone()
        if row is None:
            raise LookupError(f"trader {trader_id} does not exist")
        return int(row["xp"])

    def totals(self, trader_id: UUID, season_start: datetime, season_end: datetime) -> XpTotals:
        self.cur.execute(
            "SELECT t.xp AS balance, "
            "coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0) AS earned, "
            "coalesce(sum(e.amount) FILTER (WHERE e.amount > 0 AND e.kind <> ALL(%s) "
            "AND e.at >= %s AND e.at < %s), 0) AS season_xp "
            "FROM traders t LEFT JOIN xp_events e ON e.trader_id = t.id WHERE t.id = %s "
            "GROUP BY t.xp",
            ([k.value for k in NOT_SEASON], season_start, season_end, trader_id),
        )
        row = self.cur.fetchone()
        return XpTotals(**row) if row else XpTotals(balance=0, earned=0, season_xp=0)

    def earned(self, trader_ids: list[UUID]) -> dict[UUID, int]:
        """Lifetime XP awarded (spending never lowers it) per trader."""
        self.cur.execute(
            "SELECT trader_id, sum(amount) AS earned FROM xp_events "
            "WHERE trader_id = ANY(%s) AND amount > 0 GROUP BY trader_id",
            (trader_ids,),
        )
        found = {r["trader_id"]: int(r["earned"]) for r in self.cur.fetchall()}
        return {t: found.get(t, 0) for t in trader_ids}

    def recent(self, trader_id: UUID, limit: int) -> list[XpEvent]:
        self.cur.execute(
            "SELECT kind, amount, reference, note, at FROM xp_events WHERE trader_id = %s "
            "ORDER BY id DESC LIMIT %s",
            (trader_id, limit),
        )
        return [XpEvent(**r) for r in self.cur.fetchall()]
