"""Trace events: one row per hop of a signal's journey."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.trade import TraceEvent


class PostgresTraceLog:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def stamp(
        self,
        hop: str,
        at: datetime,
        signal_id: UUID | None = None,
        mission_id: UUID | None = None,
        trader_id: UUID | None = None,
        **detail: Any,
    ) -> None:
        self.cur.execute(
            "INSERT INTO trace_events (hop, at, signal_id, mission_id, trader_id, detail) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (hop, at, signal_id, mission_id, trader_id, Jsonb(detail)),
        )

    def stamp_many(self, hop: str, at: datetime, rows: list[dict[str, Any]]) -> None:
        """One hop for many missions: each row has signal_id, mission_id, trader_id and any
        detail fields."""
        ids = ("signal_id", "mission_id", "trader_id")
        self.cur.executemany(
            "INSERT INTO trace_events (hop, at, signal_id, mission_id, trader_id, detail) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    hop,
                    at,
                    *(r.get(k) for k in ids),
                    Jsonb({k: v for k, v in r.items() if k not in ids}),
                )
                for r in rows
            ],
        )

    def for_mission(self, mission_id: UUID) -> list[TraceEvent]:
        self.cur.execute(
            "SELECT hop, at, detail FROM trace_events WHERE mission_id = %s ORDER BY at, id",
            (mission_id,),
        )
        return [TraceEvent(**row) for row in self.cur.fetchall()]
