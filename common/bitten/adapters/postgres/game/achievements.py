"""Achievements unlocked (once per trader and code) and the record they are measured on."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.achievements import TraderRecord

RECORDS = (
    "SELECT i.id AS trader_id, "
    "coalesce(p.bracket, 0) AS bracket_closes, coalesce(p.targets, 0) AS target_hits, "
    "greatest(0, floor(coalesce(p.pips, 0)))::int AS net_pips, "
    "coalesce(d.reads, 0) AS drill_reads, coalesce(d.followed, 0) AS plan_days, "
    "coalesce(s.best, 0) AS best_streak "
    "FROM unnest(%s::uuid[]) AS i(id) "
    "LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE p.close_reason IN ('sl', 'tp')) AS bracket,"
    " count(*) FILTER (WHERE p.close_reason = 'tp') AS targets, sum(p.pips) AS pips "
    " FROM positions p JOIN missions m ON m.id = p.mission_id "
    " WHERE m.trader_id = i.id AND p.closed_at IS NOT NULL) p ON true "
    "LEFT JOIN LATERAL (SELECT count(read_at) AS reads, "
    " count(*) FILTER (WHERE outcome = 'followed') AS followed "
    " FROM drill_reports WHERE trader_id = i.id) d ON true "
    "LEFT JOIN streaks s ON s.trader_id = i.id"
)


class PostgresAchievementBook:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def records(self, trader_ids: list[UUID]) -> dict[UUID, TraderRecord]:
        self.cur.execute(RECORDS, (trader_ids,))
        return {r.pop("trader_id"): TraderRecord(**r) for r in self.cur.fetchall()}

    def held(self, trader_ids: list[UUID]) -> dict[UUID, set[str]]:
        self.cur.execute(
            "SELECT trader_id, code FROM achievements WHERE trader_id = ANY(%s)", (trader_ids,)
        )
        found: dict[UUID, set[str]] = {t: set() for t in trader_ids}
        for r in self.cur.fetchall():
            found[r["trader_id"]].add(r["code"])
        return found

    def unlock(self, pairs: list[tuple[UUID, str]], at: datetime) -> set[tuple[UUID, str]]:
        """Unlock (trader, code) pairs; returns those that were new (announce and pay only them)."""
        if not pairs:
            return set()
        self.cur.execute(
            "INSERT INTO achievements SELECT t, c, %s FROM unnest(%s::uuid[], %s::text[]) AS "
            "u(t, c) ON CONFLICT DO NOTHING RETURNING trader_id, code",
            (at, [t for t, _ in pairs], [c for _, c in pairs]),
        )
        return {(r["trader_id"], r["code"]) for r in self.cur.fetchall()}

    def unlocked(self, trader_id: UUID) -> list[tuple[str, datetime]]:
        self.cur.execute(
            "SELECT code, unlocked_at FROM achievements WHERE trader_id = %s ORDER BY unlocked_at",
            (trader_id,),
        )
        return [(r["code"], r["unlocked_at"]) for r in self.cur.fetchall()]
