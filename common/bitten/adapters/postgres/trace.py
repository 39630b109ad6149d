"""Trace events: one row per hop of a signal's journey."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.trade import TraceEvent, TraceStamp


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

    def stamp_many(self, stamps: list[TraceStamp]) -> None:
        """Many rows in one COPY (a fan-out's mission_created and mission_skipped rows)."""
        columns = "hop, at, signal_id, mission_id, trader_id, detail"
        with self.cur.copy(f"COPY trace_events ({columns}) FROM STDIN") as copy:
            for s in stamps:  # detail as JSON text: COPY's text format parses it into jsonb
                detail = json.dumps(s.detail, default=str)
                copy.write_row((s.hop, s.at, s.signal_id, s.mission_id, s.trader_id, detail))

    def for_mission(self, mission_id: UUID) -> list[TraceEvent]:
        self.cur.execute(
            "SELECT hop, at, detail FROM trace_events WHERE mission_id = %s ORDER BY at, id",
            (mission_id,),
        )
        return [TraceEvent(**row) for row in self.cur.fetchall()]
