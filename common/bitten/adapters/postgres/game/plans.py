"""Plan choices (effective from a trading day) and the shots taken under them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.plans import Strategy

# A shot: a mission whose FIRE was accepted (once, however many attempts), unless the broker
# rejected the order.
SHOTS = (
    "SELECT count(DISTINCT r.mission_id) AS n "
    "FROM fire_requests r JOIN missions m ON m.id = r.mission_id "
    "WHERE m.trader_id = %s AND r.accepted AND m.status <> 'rejected' "
    "AND r.requested_at >= %s AND r.requested_at < %s"
)


class PostgresPlanBook:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def choose(self, trader_id: UUID, strategy: Strategy, day: date, at: datetime) -> None:
        """The plan from trading day `day` on (a later choice for the same day replaces it)."""
        self.cur.execute(
            "INSERT INTO plan_choices VALUES (%s, %s, %s, %s) ON CONFLICT (trader_id, "
            "effective_day) DO UPDATE SET strategy = EXCLUDED.strategy, chosen_at = "
            "EXCLUDED.chosen_at",
            (trader_id, day, strategy.value, at),
        )

    def current(self, trader_id: UUID, day: date) -> Strategy | None:
        return self.current_many([trader_id], day).get(trader_id)

    def current_many(self, trader_ids: list[UUID], day: date) -> dict[UUID, Strategy]:
        """The plan in force on `day` for each trader who ever chose one."""
        self.cur.execute(
            "SELECT DISTINCT ON (trader_id) trader_id, strategy FROM plan_choices "
            "WHERE trader_id = ANY(%s) AND effective_day <= %s "
            "ORDER BY trader_id, effective_day DESC",
            (trader_ids, day),
        )
        return {r["trader_id"]: Strategy(r["strategy"]) for r in self.cur.fetchall()}

    def shots(self, trader_id: UUID, start: datetime, end: datetime) -> int:
        self.cur.execute(SHOTS, (trader_id, start, end))
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0
