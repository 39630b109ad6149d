"""Telegram update ids already handled (webhook and polling deliver at least once)."""

from __future__ import annotations

from datetime import datetime

from bitten.adapters.postgres import Cursor


class PostgresTelegramUpdates:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def first_delivery(self, update_id: int, kind: str, now: datetime) -> bool:
        """True the first time an update_id is seen."""
        self.cur.execute(
            "INSERT INTO telegram_updates VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (update_id, kind, now),
        )
        return self.cur.rowcount == 1

    def forget(self, update_id: int) -> None:
        """Handling failed: let Telegram's retry of this update be handled again."""
        self.cur.execute("DELETE FROM telegram_updates WHERE update_id = %s", (update_id,))
