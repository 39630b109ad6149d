"""What became of each mission, and closed trades with the trader's notes.

Fire and position rows are read whole (`SELECT *`): columns added later by execution (a
recorded slippage, a requested price) are picked up by name when present, ignored if not.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.outcome import Outcome
from bitten.domain.stats import ClosedTrade
from bitten.domain.trade import TrackedPosition

CLOSED = (
    "SELECT p.mission_id, p.symbol, p.side, p.volume, p.price_open, p.price_close, p.opened_at, "
    "p.closed_at, p.pips, p.profit, p.close_reason, coalesce(n.note, '') AS note, "
    "coalesce(n.tags, '{}') AS tags FROM positions p JOIN missions m ON m.id = p.mission_id "
    "LEFT JOIN trade_notes n ON n.mission_id = p.mission_id "
    "WHERE m.trader_id = %s AND p.closed_at IS NOT NULL "
)
SLIPPAGE_COLUMNS = ("slippage_pips", "slippage")


def _outcome(status: str, fire: dict[str, Any] | None, pos: dict[str, Any] | None) -> Outcome:
    fields: dict[str, Any] = {"mission_status": status}
    if fire:
        fields |= {"fire_state": fire.get("state"), "fire_message": fire.get("message") or ""}
    if pos:
        fields |= {k: pos.get(k) for k in Outcome.model_fields if k in pos}
        slip = next((pos[c] for c in SLIPPAGE_COLUMNS if pos.get(c) is not None), None)
        fields["slippage_pips"] = slip
    return Outcome(**fields)


class PostgresJournal:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def outcome(self, mission_id: UUID) -> Outcome | None:
        self.cur.execute("SELECT status FROM missions WHERE id = %s", (mission_id,))
        mission = self.cur.fetchone()
        if mission is None:
            return None
        self.cur.execute("SELECT * FROM fires WHERE mission_id = %s", (mission_id,))
        fire = self.cur.fetchone()
        self.cur.execute("SELECT * FROM positions WHERE mission_id = %s", (mission_id,))
        return _outcome(str(mission["status"]), fire, self.cur.fetchone())

    def closed_trades(self, trader_id: UUID, limit: int, offset: int = 0) -> list[ClosedTrade]:
        """Newest first."""
        self.cur.execute(
            CLOSED + "ORDER BY p.closed_at DESC, p.mission_id LIMIT %s OFFSET %s",
            (trader_id, limit, offset),
        )
        return [ClosedTrade(**r) for r in self.cur.fetchall()]

    def closed_count(self, trader_id: UUID) -> int:
        self.cur.execute(
            "SELECT count(*) AS n FROM positions p JOIN missions m ON m.id = p.mission_id "
            "WHERE m.trader_id = %s AND p.closed_at IS NOT NULL",
            (trader_id,),
        )
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def closed_since(self, trader_id: UUID, since: datetime | None) -> list[ClosedTrade]:
        """Every trade closed at or after `since` (None: all), oldest first."""
        self.cur.execute(
            CLOSED + "AND p.closed_at >= coalesce(%s, '-infinity'::timestamptz) "
            "ORDER BY p.closed_at, p.mission_id",
            (trader_id, since),
        )
        return [ClosedTrade(**r) for r in self.cur.fetchall()]

    def open_positions(self, trader_id: UUID) -> list[TrackedPosition]:
        """The trader's filled missions still open, oldest first."""
        self.cur.execute(
            "SELECT p.mission_id, p.ticket, p.symbol, p.side, p.volume, p.price_open, "
            "p.opened_at, m.trader_id, m.signal_id, b.login, t.telegram_id FROM positions p "
            "JOIN missions m ON m.id = p.mission_id JOIN traders t ON t.id = m.trader_id "
            "LEFT JOIN broker_accounts b ON b.trader_id = m.trader_id "
            "WHERE m.trader_id = %s AND p.closed_at IS NULL ORDER BY p.opened_at",
            (trader_id,),
        )
        return [TrackedPosition(**{**r, "login": r["login"] or ""}) for r in self.cur.fetchall()]

    def save_note(
        self, mission_id: UUID, trader_id: UUID, note: str, tags: list[str], now: datetime
    ) -> bool:
        """Write the trader's note on one of their closed trades; False when it is not one."""
        self.cur.execute(
            "INSERT INTO trade_notes (mission_id, trader_id, note, tags, updated_at) "
            "SELECT p.mission_id, m.trader_id, %s, %s, %s FROM positions p "
            "JOIN missions m ON m.id = p.mission_id WHERE p.mission_id = %s "
            "AND m.trader_id = %s AND p.closed_at IS NOT NULL "
            "ON CONFLICT (mission_id) DO UPDATE SET note = EXCLUDED.note, tags = EXCLUDED.tags, "
            "updated_at = EXCLUDED.updated_at",
            (note, tags, now, mission_id, trader_id),
        )
        return self.cur.rowcount == 1
