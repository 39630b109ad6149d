"""Items held, bought, used and claimed: the intel shop and the battle pass."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.game.records import Purchase
from bitten.domain.game.season import Track
from bitten.domain.game.shop import DEEP_DIVE


class ItemVanished(RuntimeError):
    """A concurrent use took the last unit between our check and our update (rolled back)."""


class PostgresArmory:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def held(self, trader_id: UUID) -> dict[str, int]:
        self.cur.execute(
            "SELECT item, quantity FROM inventory WHERE trader_id = %s AND quantity > 0",
            (trader_id,),
        )
        return {r["item"]: int(r["quantity"]) for r in self.cur.fetchall()}

    def held_many(self, trader_ids: list[UUID], item: str) -> dict[UUID, int]:
        self.cur.execute(
            "SELECT trader_id, quantity FROM inventory WHERE trader_id = ANY(%s) AND item = %s",
            (trader_ids, item),
        )
        found = {r["trader_id"]: int(r["quantity"]) for r in self.cur.fetchall()}
        return {t: found.get(t, 0) for t in trader_ids}

    def add(self, trader_id: UUID, item: str, quantity: int) -> None:
        self.cur.execute(
            "INSERT INTO inventory VALUES (%s, %s, %s) ON CONFLICT (trader_id, item) "
            "DO UPDATE SET quantity = inventory.quantity + EXCLUDED.quantity",
            (trader_id, item, quantity),
        )

    def use(self, trader_id: UUID, item: str, reference: str, at: datetime) -> bool:
        """Spend one held `item` on `reference`, once: False when none is held or the
        reference already had one."""
        self.cur.execute(
            "INSERT INTO item_uses (item, reference, trader_id, used_at) SELECT %s, %s, %s, %s "
            "WHERE EXISTS (SELECT 1 FROM inventory WHERE trader_id = %s AND item = %s "
            "AND quantity > 0) ON CONFLICT (item, reference) DO NOTHING",
            (item, reference, trader_id, at, trader_id, item),
        )
        if self.cur.rowcount != 1:
            return False
        self.cur.execute(
            "UPDATE inventory SET quantity = quantity - 1 "
            "WHERE trader_id = %s AND item = %s AND quantity > 0",
            (trader_id, item),
        )
        if self.cur.rowcount != 1:
            raise ItemVanished(f"{item} of {trader_id} was used by someone else meanwhile")
        return True

    def used(self, trader_id: UUID, item: str, day: date) -> int:
        """Uses whose reference names trading day `day` (extra shots: trader:day:mission)."""
        self.cur.execute(
            "SELECT count(*) AS n FROM item_uses WHERE item = %s AND reference LIKE %s",
            (item, f"{trader_id}:{day.isoformat()}:%"),
        )
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def purchase(self, key: str) -> Purchase | None:
        self.cur.execute("SELECT * FROM purchases WHERE idempotency_key = %s", (key,))
        row = self.cur.fetchone()
        return Purchase(**row) if row else None

    def record_purchase(self, p: Purchase) -> None:
        self.cur.execute(
            "INSERT INTO purchases VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (p.id, p.trader_id, p.item, p.price, p.day, p.season, p.idempotency_key, p.bought_at),
        )

    def bought_on(self, trader_id: UUID, item: str, day: date) -> int:
        self.cur.execute(
            "SELECT count(*) AS n FROM purchases WHERE trader_id = %s AND item = %s AND day = %s",
            (trader_id, item, day),
        )
        row = self.cur.fetchone()
        return int(row["n"]) if row else 0

    def stock_left(self, item: str, season: str, initial: int) -> int:
        self.cur.execute(
            "INSERT INTO shop_stock VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (item, season, initial),
        )
        self.cur.execute(
            "SELECT remaining FROM shop_stock WHERE item = %s AND season = %s", (item, season)
        )
        row = self.cur.fetchone()
        return int(row["remaining"]) if row else 0

    def take_stock(self, item: str, season: str, initial: int) -> bool:
        """One unit off the season's stock; False when it is gone (row-locked until commit)."""
        self.stock_left(item, season, initial)
        self.cur.execute(
            "UPDATE shop_stock SET remaining = remaining - 1 "
            "WHERE item = %s AND season = %s AND remaining > 0",
            (item, season),
        )
        return self.cur.rowcount == 1

    def claim(
        self, trader_id: UUID, season: str, track: Track, level: int, item: str, at: datetime
    ) -> bool:
        self.cur.execute(
            "INSERT INTO pass_claims VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (trader_id, season, track.value, level, item, at),
        )
        return self.cur.rowcount == 1

    def claimed(self, trader_id: UUID, season: str) -> set[tuple[Track, int]]:
        self.cur.execute(
            "SELECT track, level FROM pass_claims WHERE trader_id = %s AND season = %s",
            (trader_id, season),
        )
        return {(Track(r["track"]), int(r["level"])) for r in self.cur.fetchall()}

    def deep_dives_due(self, now: datetime) -> list[tuple[UUID, UUID]]:
        """(trader, mission): each deep-dive holder's oldest open mission without a deep-dive."""
        self.cur.execute(
            "SELECT DISTINCT ON (m.trader_id) m.trader_id, m.id FROM missions m "
            "JOIN inventory i ON i.trader_id = m.trader_id AND i.item = %s AND i.quantity > 0 "
            "WHERE m.status = 'open' AND m.expires_at > %s AND m.created_at <= %s "
            "AND NOT EXISTS (SELECT 1 FROM item_uses u WHERE u.item = %s "
            "AND u.reference = m.id::text) ORDER BY m.trader_id, m.created_at",
            (DEEP_DIVE, now, now, DEEP_DIVE),
        )
        return [(r["trader_id"], r["id"]) for r in self.cur.fetchall()]
