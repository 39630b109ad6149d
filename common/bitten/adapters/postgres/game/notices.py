"""The game's outbox: Telegram messages owed, written with what earned them, sent once each."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.records import Notice, NoticeStatus

REQUEUE_AFTER = timedelta(minutes=5)  # queued but its queue message was lost
STUCK_AFTER = timedelta(minutes=10)  # claimed by a sender that died before finishing


class PostgresNotices:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def add(self, notices: list[Notice], at: datetime) -> int:
        """Write the notices whose (kind, reference) is new; returns how many were."""
        if not notices:
            return 0
        cols = [
            [getattr(n, c) for n in notices]
            for c in ("id", "trader_id", "chat_id", "reference", "text", "button")
        ]
        kinds = [n.kind.value for n in notices]
        self.cur.execute(
            "INSERT INTO game_notices (id, trader_id, chat_id, kind, reference, text, button, "
            "created_at, updated_at) SELECT u.id, u.trader_id, u.chat_id, u.kind, u.reference, "
            "u.text, u.button, %s, %s FROM unnest(%s::uuid[], %s::uuid[], %s::bigint[], "
            "%s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS u(id, trader_id, chat_id, reference, text, button, kind) "
            "ON CONFLICT (kind, reference) DO NOTHING",
            (at, at, *cols, kinds),
        )
        return self.cur.rowcount

    def to_enqueue(self, now: datetime, limit: int) -> list[UUID]:
        """Queued notices never enqueued or enqueued long ago (a lost message), and notices a
        dead sender left claimed; rows other relays hold are skipped."""
        self.cur.execute(
            "UPDATE game_notices SET status = 'queued', enqueued_at = NULL "
            "WHERE status = 'sending' AND updated_at < %s",
            (now - STUCK_AFTER,),
        )
        self.cur.execute(
            "SELECT id FROM game_notices WHERE status = 'queued' "
            "AND (enqueued_at IS NULL OR enqueued_at < %s) "
            "ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED",
            (now - REQUEUE_AFTER, limit),
        )
        return [r["id"] for r in self.cur.fetchall()]

    def mark_enqueued(self, ids: list[UUID], at: datetime) -> None:
        self.cur.execute("UPDATE game_notices SET enqueued_at = %s WHERE id = ANY(%s)", (at, ids))

    def claim(self, notice_id: UUID, at: datetime) -> Notice | None:
        """queued -> sending; None when it is sent, being sent, or unknown."""
        self.cur.execute(
            "UPDATE game_notices SET status = 'sending', updated_at = %s "
            "WHERE id = %s AND status = 'queued' "
            "RETURNING id, trader_id, chat_id, kind, reference, text, button, status",
            (at, notice_id),
        )
        row = self.cur.fetchone()
        return Notice(**row) if row else None

    def finish(
        self, notice_id: UUID, status: NoticeStatus, at: datetime, message_id: int | None = None
    ) -> None:
        """sending -> sent | failed, or back to queued for a retry."""
        self.cur.execute(
            "UPDATE game_notices SET status = %s, updated_at = %s, message_id = %s "
            "WHERE id = %s AND status = 'sending'",
            (status.value, at, message_id, notice_id),
        )
