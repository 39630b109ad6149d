"""Telegram alerts: sent once per mission (and once per signal to the group), and the stage
each personal alert message shows as the mission moves."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.outcome import AlertMessage, CardState

LAGGING = """
SELECT a.mission_id FROM alerts a JOIN missions m ON m.id = a.mission_id
LEFT JOIN fires f ON f.mission_id = a.mission_id
LEFT JOIN positions p ON p.mission_id = a.mission_id
WHERE a.message_id IS NOT NULL AND (
    (a.shown = 'open' AND (m.status <> 'open' OR m.expires_at <= %(now)s))
    OR (a.shown = 'fired' AND (p.mission_id IS NOT NULL OR f.state = 'rejected'
                               OR m.status = 'rejected'))
    OR (a.shown = 'filled' AND p.closed_at IS NOT NULL)
    OR (a.shown IN ('filled', 'closed') AND a.noticed IS DISTINCT FROM a.shown))
ORDER BY a.sent_at LIMIT %(limit)s
"""


class PostgresAlerts:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def exists(self, mission_id: UUID) -> bool:
        self.cur.execute("SELECT 1 FROM alerts WHERE mission_id = %s", (mission_id,))
        return self.cur.fetchone() is not None

    def sent_among(self, mission_ids: list[UUID]) -> set[UUID]:
        """Which of these missions already have their alert row (sent or skipped)."""
        self.cur.execute("SELECT mission_id FROM alerts WHERE mission_id = ANY(%s)", (mission_ids,))
        return {r["mission_id"] for r in self.cur.fetchall()}

    def get(self, mission_id: UUID) -> AlertMessage | None:
        self.cur.execute(
            "SELECT mission_id, chat_id, message_id, shown, noticed, skipped FROM alerts "
            "WHERE mission_id = %s",
            (mission_id,),
        )
        row = self.cur.fetchone()
        return AlertMessage(**row) if row else None

    def record(self, mission_id: UUID, chat_id: int, message_id: int, now: datetime) -> None:
        self.cur.execute(
            "INSERT INTO alerts (mission_id, chat_id, message_id, sent_at, updated_at) "
            "VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (mission_id, chat_id, message_id, now, now),
        )

    def record_many(self, sent: list[tuple[UUID, int, int]], now: datetime) -> None:
        """(mission, chat, message) of a batch of alerts, in one pipelined round of inserts."""
        self.cur.executemany(
            "INSERT INTO alerts (mission_id, chat_id, message_id, sent_at, updated_at) "
            "VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            [(m, c, i, now, now) for m, c, i in sent],
        )

    def record_skipped(self, mission_id: UUID, chat_id: int, reason: str, now: datetime) -> None:
        """No message went out (too late, or the trader blocked the bot): never try again."""
        self.cur.execute(
            "INSERT INTO alerts (mission_id, chat_id, message_id, sent_at, skipped, shown, "
            "updated_at) VALUES (%s,%s,NULL,%s,%s,'expired',%s) ON CONFLICT DO NOTHING",
            (mission_id, chat_id, now, reason, now),
        )

    def mark_shown(
        self, mission_id: UUID, shown: CardState, noticed: CardState | None, now: datetime
    ) -> None:
        self.cur.execute(
            "UPDATE alerts SET shown = %s, noticed = coalesce(%s, noticed), updated_at = %s "
            "WHERE mission_id = %s",
            (shown.value, noticed.value if noticed else None, now, mission_id),
        )

    def claim_notice(self, mission_id: UUID, state: CardState, previous: CardState | None) -> bool:
        """Take the right to send `state`'s notification (compare-and-set on `noticed`)."""
        self.cur.execute(
            "UPDATE alerts SET noticed = %s WHERE mission_id = %s "
            "AND noticed IS NOT DISTINCT FROM %s",
            (state.value, mission_id, previous.value if previous else None),
        )
        return self.cur.rowcount == 1

    def release_notice(self, mission_id: UUID, previous: CardState | None) -> None:
        """The notification could not go: let the next refresh try again."""
        self.cur.execute(
            "UPDATE alerts SET noticed = %s WHERE mission_id = %s",
            (previous.value if previous else None, mission_id),
        )

    def lagging(self, now: datetime, limit: int) -> list[UUID]:
        """Sent alerts showing an older stage than the mission is in, oldest first."""
        self.cur.execute(LAGGING, {"now": now, "limit": limit})
        return [r["mission_id"] for r in self.cur.fetchall()]

    def group_sent(self, signal_id: UUID) -> bool:
        """Sent or being sent (a claim younger than a minute)."""
        self.cur.execute("SELECT 1 FROM group_alerts WHERE signal_id = %s", (signal_id,))
        return self.cur.fetchone() is not None

    def claim_group(self, signal_id: UUID, chat_id: int, now: datetime) -> bool:
        """Take the group alert of a signal: a new claim, or one left unsent for over a minute
        (its sender died between claim and send)."""
        self.cur.execute(
            "INSERT INTO group_alerts VALUES (%s,%s,0,%s) ON CONFLICT (signal_id) DO UPDATE "
            "SET sent_at = EXCLUDED.sent_at WHERE group_alerts.message_id = 0 "
            "AND group_alerts.sent_at < EXCLUDED.sent_at - interval '1 minute'",
            (signal_id, chat_id, now),
        )
        return self.cur.rowcount == 1

    def release_group(self, signal_id: UUID) -> None:
        """The claimed group alert could not be sent: let the next batch try."""
        self.cur.execute(
            "DELETE FROM group_alerts WHERE signal_id = %s AND message_id = 0", (signal_id,)
        )

    def set_group_message(self, signal_id: UUID, message_id: int) -> None:
        self.cur.execute(
            "UPDATE group_alerts SET message_id = %s WHERE signal_id = %s", (message_id, signal_id)
        )
