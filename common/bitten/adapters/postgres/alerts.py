"""Which Telegram alerts went out (so redelivered queue messages send nothing twice)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor


class PostgresAlerts:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def exists(self, mission_id: UUID) -> bool:
        self.cur.execute("SELECT 1 FROM alerts WHERE mission_id = %s", (mission_id,))
        return self.cur.fetchone() is not None

    def record(self, mission_id: UUID, chat_id: int, message_id: int, now: datetime) -> None:
        self.cur.execute(
            "INSERT INTO alerts VALUES (%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (mission_id, chat_id, message_id, now),
        )

    def group_sent(self, signal_id: UUID) -> bool:
        self.cur.execute("SELECT 1 FROM group_alerts WHERE signal_id = %s", (signal_id,))
        return self.cur.fetchone() is not None

    def claim_group(self, signal_id: UUID, chat_id: int, now: datetime) -> bool:
        self.cur.execute(
            "INSERT INTO group_alerts VALUES (%s,%s,0,%s) ON CONFLICT DO NOTHING",
            (signal_id, chat_id, now),
        )
        return self.cur.rowcount == 1

    def set_group_message(self, signal_id: UUID, message_id: int) -> None:
        self.cur.execute(
            "UPDATE group_alerts SET message_id = %s WHERE signal_id = %s", (message_id, signal_id)
        )
