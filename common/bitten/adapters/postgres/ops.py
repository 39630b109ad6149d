"""Operator actions' storage (issue 13): setup switches and broadcasts."""

from __future__ import annotations

from dataclasses import dataclass

from bitten.adapters.postgres import Cursor
from bitten.domain.operator import Broadcast, SetupSwitch

SETUP = "name, enabled, reason, changed_by, changed_at"


class PostgresSetupSwitches:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def get(self, name: str, lock: bool = False) -> SetupSwitch:
        suffix = " FOR UPDATE" if lock else ""
        self.cur.execute(f"SELECT {SETUP} FROM setup_switches WHERE name = %s{suffix}", (name,))
        row = self.cur.fetchone()
        return SetupSwitch(**row) if row else SetupSwitch(name=name)

    def all(self, names: tuple[str, ...]) -> list[SetupSwitch]:
        """Each named setup in order; one without a row is on."""
        self.cur.execute(f"SELECT {SETUP} FROM setup_switches WHERE name = ANY(%s)", (list(names),))
        found = {row["name"]: SetupSwitch(**row) for row in self.cur.fetchall()}
        return [found.get(name, SetupSwitch(name=name)) for name in names]

    def set(self, s: SetupSwitch) -> None:
        self.cur.execute(
            f"INSERT INTO setup_switches ({SETUP}) VALUES (%s,%s,%s,%s,%s) "
            "ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, "
            "reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by, "
            "changed_at = EXCLUDED.changed_at",
            (s.name, s.enabled, s.reason, s.changed_by, s.changed_at),
        )

    def disabled(self) -> frozenset[str]:
        self.cur.execute("SELECT name FROM setup_switches WHERE NOT enabled")
        return frozenset(row["name"] for row in self.cur.fetchall())


class PostgresBroadcasts:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def create(self, b: Broadcast) -> int:
        """The broadcast and one queued notice per recipient, in one statement each; returns
        how many traders it goes to."""
        tier = b.tier.value if b.tier else None
        self.cur.execute(
            "INSERT INTO broadcasts (id, text, tier, reason, actor, created_at) "
            "VALUES (%s,%s,%s,%s,%s,%s)",
            (b.id, b.text, tier, b.reason, b.actor, b.created_at),
        )
        self.cur.execute(
            "INSERT INTO game_notices (id, trader_id, chat_id, kind, reference, text, "
            "created_at, updated_at) SELECT gen_random_uuid(), t.id, t.telegram_id, 'broadcast', "
            "%s || ':' || t.id, %s, %s, %s FROM traders t "
            "WHERE %s::text IS NULL OR t.tier = %s ON CONFLICT (kind, reference) DO NOTHING",
            (str(b.id), b.text, b.created_at, b.created_at, tier, tier),
        )
        recipients = self.cur.rowcount
        self.cur.execute("UPDATE broadcasts SET recipients = %s WHERE id = %s", (recipients, b.id))
        return recipients


@dataclass(frozen=True)
class PostgresOpsRepositories:
    setups: PostgresSetupSwitches
    broadcasts: PostgresBroadcasts

    @classmethod
    def on(cls, cur: Cursor) -> PostgresOpsRepositories:
        return cls(PostgresSetupSwitches(cur), PostgresBroadcasts(cur))
