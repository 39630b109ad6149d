"""Signals as VENOM emitted them, with CITADEL's shield."""

from __future__ import annotations

from uuid import UUID

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.signal import TradeSignal

COLUMNS = (
    "id, pair, direction, entry, stop_pips, target_pips, confidence, shield_score, shield_label, "
    "risk_multiplier, reasons, shield_checks, engine, bar_time, created_at, expires_at"
)


class PostgresSignals:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def add(self, s: TradeSignal) -> bool:
        """Insert unless this pair/bar/direction was already emitted (a re-run scan)."""
        checks = [c.model_dump() for c in s.shield_checks]
        self.cur.execute(
            f"INSERT INTO signals ({COLUMNS}) VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (
                s.id,
                s.pair,
                s.direction,
                s.entry,
                s.stop_pips,
                s.target_pips,
                s.confidence,
                s.shield_score,
                s.shield_label,
                s.risk_multiplier,
                Jsonb(s.reasons),
                Jsonb(checks),
                s.engine,
                s.bar_time,
                s.created_at,
                s.expires_at,
            ),
        )
        return self.cur.rowcount == 1

    def get(self, signal_id: UUID) -> TradeSignal | None:
        self.cur.execute(f"SELECT {COLUMNS} FROM signals WHERE id = %s", (signal_id,))
        row = self.cur.fetchone()
        return TradeSignal(**row) if row else None

    def get_many(self, signal_ids: list[UUID]) -> dict[UUID, TradeSignal]:
        self.cur.execute(f"SELECT {COLUMNS} FROM signals WHERE id = ANY(%s)", (signal_ids,))
        return {r["id"]: TradeSignal(**r) for r in self.cur.fetchall()}
