"""The kill switch and the audit log of operator actions."""

from __future__ import annotations

from datetime import datetime

from psycopg.types.json import Jsonb

from bitten.adapters.postgres import Cursor
from bitten.domain.switches import AuditEntry, Switch, SwitchState

SWITCH = "name, paused, reason, changed_by, changed_at"


class PostgresSwitches:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def get(self, name: Switch, lock: bool = False) -> SwitchState:
        suffix = " FOR UPDATE" if lock else ""
        self.cur.execute(
            f"SELECT {SWITCH} FROM operator_switches WHERE name = %s{suffix}", (name.value,)
        )
        row = self.cur.fetchone()
        return SwitchState(**row) if row else SwitchState(name=name)

    def all(self) -> list[SwitchState]:
        """Every switch, firing first; one without a row is running."""
        self.cur.execute(f"SELECT {SWITCH} FROM operator_switches")
        found = {row["name"]: SwitchState(**row) for row in self.cur.fetchall()}
        return [found.get(name.value, SwitchState(name=name)) for name in Switch]

    def set(self, state: SwitchState) -> None:
        self.cur.execute(
            "INSERT INTO operator_switches VALUES (%s,%s,%s,%s,%s) ON CONFLICT (name) DO UPDATE "
            "SET paused = EXCLUDED.paused, reason = EXCLUDED.reason, "
            "changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at",
            (state.name.value, state.paused, state.reason, state.changed_by, state.changed_at),
        )


class PostgresAuditLog:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def record(self, entry: AuditEntry) -> None:
        self.cur.execute(
            "INSERT INTO audit_log (at, actor, action, target, reason, before, after) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s)",
            (
                entry.at,
                entry.actor,
                entry.action,
                entry.target,
                entry.reason,
                Jsonb(entry.before),
                Jsonb(entry.after),
            ),
        )

    def recent(self, limit: int, since: datetime | None = None) -> list[AuditEntry]:
        self.cur.execute(
            "SELECT at, actor, action, target, reason, before, after FROM audit_log "
            "WHERE at >= coalesce(%s, '-infinity'::timestamptz) ORDER BY at DESC, id DESC LIMIT %s",
            (since, limit),
        )
        return [AuditEntry(**row) for row in self.cur.fetchall()]
