"""Stored log lines: the operators' search, the demo's count, and the retention prune."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bitten.adapters.postgres import Cursor
from bitten.domain.logs import LogLine, LogQuery

LINE = (
    "at, level, logger, function, request_id, signal_id, mission_id, trader_id, "
    "message, error, fields"
)
FILTERS = {
    "mission_id": "mission_id = %s",
    "trader_id": "trader_id = %s",
    "signal_id": "signal_id = %s",
    "since": "at >= %s",
}


class PostgresLogLines:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def search(self, query: LogQuery) -> list[LogLine]:
        """Newest first; each filter given narrows it (they use the partial indexes)."""
        where, params = ["level_no >= %s"], [query.min_level_no]
        for key, clause in FILTERS.items():
            value: Any = getattr(query, key)
            if value is not None:
                where.append(clause)
                params.append(value)
        self.cur.execute(
            f"SELECT {LINE} FROM log_lines WHERE {' AND '.join(where)} "
            "ORDER BY at DESC, id DESC LIMIT %s",
            (*params, query.limit),
        )
        return [LogLine(**row) for row in self.cur.fetchall()]

    def count(self) -> int:
        """Every stored line (the demo's summary)."""
        self.cur.execute("SELECT count(*) AS n FROM log_lines")
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def prune(self, before: datetime, limit: int) -> int:
        """Delete at most `limit` of the lines older than `before`, oldest first."""
        self.cur.execute(
            "DELETE FROM log_lines WHERE id IN "
            "(SELECT id FROM log_lines WHERE at < %s ORDER BY at LIMIT %s)",
            (before, limit),
        )
        return self.cur.rowcount
