"""Drill reports (one per trader and trading day), the day statistics behind them, streaks."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.game.drill import ClosedTrade, DayStats
from bitten.domain.game.records import DrillCandidate, StoredDrill
from bitten.domain.game.streaks import StreakState

DUE = (
    "SELECT t.id AS trader_id, t.telegram_id, t.tier, z.zone AS time_zone, b.currency "
    "FROM traders t JOIN broker_accounts b ON b.trader_id = t.id "
    "LEFT JOIN game_profiles g ON g.trader_id = t.id "
    "JOIN unnest(%s::text[], %s::date[]) AS z(zone, day) ON z.zone = coalesce(g.time_zone, 'UTC') "
    "WHERE t.created_at < (z.day + time '18:00') AT TIME ZONE z.zone "
    "AND NOT EXISTS (SELECT 1 FROM drill_reports d WHERE d.trader_id = t.id AND d.day = z.day) "
    "ORDER BY z.zone, t.id LIMIT %s"
)
COUNTS = (
    "SELECT i.id AS trader_id, "
    "(SELECT count(DISTINCT r.mission_id) FROM fire_requests r "
    " JOIN missions m ON m.id = r.mission_id "
    " WHERE m.trader_id = i.id AND r.accepted AND m.status <> 'rejected' "
    " AND r.requested_at >= %(s)s AND r.requested_at < %(e)s) AS shots, "
    "(SELECT count(*) FROM missions m WHERE m.trader_id = i.id "
    " AND m.created_at >= %(s)s AND m.created_at < %(e)s) AS missions, "
    "(SELECT count(*) FROM missions m WHERE m.trader_id = i.id AND m.status = 'expired' "
    " AND m.created_at >= %(s)s AND m.created_at < %(e)s) AS expired, "
    "(SELECT count(*) FROM trace_events x WHERE x.trader_id = i.id AND x.hop = 'fire_refused' "
    " AND x.detail->>'code' = 'plan' AND x.at >= %(s)s AND x.at < %(e)s) AS refusals, "
    "(SELECT coalesce(sum(amount), 0) FROM xp_events x WHERE x.trader_id = i.id "
    " AND x.amount > 0 AND x.kind NOT IN ('opening_balance', 'operator_grant') "
    " AND x.at >= %(s)s AND x.at < %(e)s) AS xp, "
    "(SELECT count(*) FROM item_uses u WHERE u.item = 'extra_shot' AND u.trader_id = i.id "
    " AND u.reference LIKE i.id::text || ':' || %(day)s::text || ':%%') AS extra_shots "
    "FROM unnest(%(ids)s::uuid[]) AS i(id)"
)
CLOSES = (
    "SELECT m.trader_id, p.symbol AS pair, p.close_reason AS reason, p.pips, p.profit "
    "FROM positions p JOIN missions m ON m.id = p.mission_id WHERE m.trader_id = ANY(%s) "
    "AND p.closed_at >= %s AND p.closed_at < %s ORDER BY p.closed_at"
)
DRILL = (
    "id, trader_id, day, tone, discipline, outcome, cover, zone, text, stats, read_at, created_at"
)


class PostgresDrills:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def zones(self) -> list[str]:
        """Every time zone a trader has set, and UTC (everyone else's)."""
        self.cur.execute("SELECT DISTINCT time_zone FROM game_profiles")
        return sorted({r["time_zone"] for r in self.cur.fetchall()} | {"UTC"})

    def due(self, zones: dict[str, date], limit: int) -> list[DrillCandidate]:
        """Traders with an account in `zones` whose report for that zone's day is not written."""
        self.cur.execute(DUE, (list(zones), list(zones.values()), limit))
        return [DrillCandidate(**r) for r in self.cur.fetchall()]

    def day_stats(
        self, trader_ids: list[UUID], start: datetime, end: datetime, day: date
    ) -> dict[UUID, DayStats]:
        """Shots, missions, refusals, closes and XP of each trader in [start, end)."""
        self.cur.execute(COUNTS, {"s": start, "e": end, "ids": trader_ids, "day": day.isoformat()})
        stats = {r.pop("trader_id"): DayStats(day=day, plan="", **r) for r in self.cur.fetchall()}
        self.cur.execute(CLOSES, (trader_ids, start, end))
        for r in self.cur.fetchall():
            stats[r.pop("trader_id")].closed.append(ClosedTrade(**r))
        return stats

    def streaks(self, trader_ids: list[UUID]) -> dict[UUID, StreakState]:
        self.cur.execute(
            "SELECT trader_id, current, best, last_day, grace_week FROM streaks "
            "WHERE trader_id = ANY(%s)",
            (trader_ids,),
        )
        found = {r.pop("trader_id"): StreakState(**r) for r in self.cur.fetchall()}
        return {t: found.get(t, StreakState()) for t in trader_ids}

    def save_streaks(self, states: dict[UUID, StreakState]) -> None:
        if not states:
            return
        s = list(states.values())
        self.cur.execute(
            "INSERT INTO streaks SELECT * FROM unnest(%s::uuid[], %s::int[], %s::int[], "
            "%s::date[], %s::text[]) ON CONFLICT (trader_id) DO UPDATE SET current = "
            "EXCLUDED.current, best = EXCLUDED.best, last_day = EXCLUDED.last_day, "
            "grace_week = EXCLUDED.grace_week",
            (
                list(states),
                [x.current for x in s],
                [x.best for x in s],
                [x.last_day for x in s],
                [x.grace_week for x in s],
            ),
        )

    def add(self, reports: list[StoredDrill]) -> set[UUID]:
        """Write the reports whose (trader, day) is new; returns those traders."""
        if not reports:
            return set()
        columns = [
            [getattr(r, c) for r in reports]
            for c in ("id", "trader_id", "day", "zone", "tone", "discipline", "outcome", "cover")
        ]
        stats = [Jsonb(r.stats.model_dump(mode="json")) for r in reports]
        self.cur.execute(
            "INSERT INTO drill_reports (id, trader_id, day, zone, tone, discipline, outcome, "
            "cover, stats, text, created_at) SELECT * FROM unnest(%s::uuid[], %s::uuid[], "
            "%s::date[], %s::text[], %s::text[], %s::int[], %s::text[], %s::text[], "
            "%s::jsonb[], %s::text[], %s::timestamptz[]) "
            "ON CONFLICT (trader_id, day) DO NOTHING RETURNING trader_id",
            (*columns, stats, [r.text for r in reports], [r.created_at for r in reports]),
        )
        return {r["trader_id"] for r in self.cur.fetchall()}

    def latest(self, trader_id: UUID) -> StoredDrill | None:
        return self._one("trader_id = %s ORDER BY day DESC LIMIT 1", trader_id)

    def of_day(self, trader_id: UUID, day: date) -> StoredDrill | None:
        return self._one("trader_id = %s AND day = %s", trader_id, day)

    def get(self, report_id: UUID) -> StoredDrill | None:
        return self._one("id = %s", report_id)

    def _one(self, where: str, *args: object) -> StoredDrill | None:
        self.cur.execute(f"SELECT {DRILL} FROM drill_reports WHERE {where}", args)
        row = self.cur.fetchone()
        return StoredDrill(**row) if row else None

    def mark_read(self, trader_id: UUID, day: date, at: datetime) -> bool:
        """First read of the report: True once, False afterwards (or when there is none)."""
        self.cur.execute(
            "UPDATE drill_reports SET read_at = %s "
            "WHERE trader_id = %s AND day = %s AND read_at IS NULL",
            (at, trader_id, day),
        )
        return self.cur.rowcount == 1
