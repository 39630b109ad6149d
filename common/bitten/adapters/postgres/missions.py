"""Missions and their status changes (each a compare-and-set on the current status)."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.mission import MISSION_STATES, Mission, MissionStatus
from bitten.domain.state import lost

COLUMNS = (
    "id, signal_id, trader_id, status, balance, risk_amount, lots, risk_multiplier, "
    "exposure_note, sl_price, tp_price, created_at, expires_at, status_reason, fire_attempts"
)
INSERTED = COLUMNS


def row_of(m: Mission) -> tuple[object, ...]:
    """The INSERTED columns of one mission, in order."""
    return (
        m.id,
        m.signal_id,
        m.trader_id,
        m.status.value,
        m.balance,
        m.risk_amount,
        m.lots,
        m.risk_multiplier,
        m.exposure_note,
        m.sl_price,
        m.tp_price,
        m.created_at,
        m.expires_at,
        m.status_reason,
        m.fire_attempts,
    )


class PostgresMissions:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def add(self, m: Mission) -> bool:
        """Insert unless this trader already has a mission for this signal."""
        self.cur.execute(
            f"INSERT INTO missions ({INSERTED}) VALUES ({', '.join(['%s'] * 15)}) "
            "ON CONFLICT (signal_id, trader_id) DO NOTHING",
            row_of(m),
        )
        return self.cur.rowcount == 1

    def add_many(self, missions: list[Mission]) -> set[UUID]:
        """Insert a fan-out's missions in one statement; returns the ids actually inserted
        (a trader who already has a mission for the signal keeps the old one). Columns go
        as text arrays (cast by Postgres): dumping 5,000 Decimals one by one costs more."""
        if not missions:
            return set()
        columns = [
            [None if v is None else str(v) for v in c]
            for c in zip(*map(row_of, missions), strict=True)
        ]
        types = "uuid,uuid,uuid,text,numeric,numeric,numeric,numeric,text,numeric,numeric,"
        types += "timestamptz,timestamptz,text,int"
        arrays = ", ".join("%s::text[]" for _ in columns)
        casts = ", ".join(f"c{i}::{t}" for i, t in enumerate(types.split(",")))
        names = ", ".join(f"c{i}" for i in range(len(columns)))
        self.cur.execute(
            f"INSERT INTO missions ({INSERTED}) SELECT {casts} FROM unnest({arrays}) "
            f"AS r({names}) ON CONFLICT (signal_id, trader_id) DO NOTHING RETURNING id",
            columns,
        )
        return {r["id"] for r in self.cur.fetchall()}

    def ids_for_signal(self, signal_id: UUID) -> dict[UUID, UUID]:
        """trader id -> mission id of every mission of a signal."""
        self.cur.execute("SELECT trader_id, id FROM missions WHERE signal_id = %s", (signal_id,))
        return {r["trader_id"]: r["id"] for r in self.cur.fetchall()}

    def get(self, mission_id: UUID, lock: bool = False) -> Mission | None:
        suffix = " FOR UPDATE" if lock else ""
        self.cur.execute(f"SELECT {COLUMNS} FROM missions WHERE id = %s{suffix}", (mission_id,))
        row = self.cur.fetchone()
        return Mission(**row) if row else None

    def get_many(self, mission_ids: list[UUID]) -> dict[UUID, Mission]:
        self.cur.execute(f"SELECT {COLUMNS} FROM missions WHERE id = ANY(%s)", (mission_ids,))
        return {r["id"]: Mission(**r) for r in self.cur.fetchall()}

    def open_for_trader(self, trader_id: UUID, now: datetime) -> list[Mission]:
        """The trader's missions that can still be fired, soonest to expire first."""
        self.cur.execute(
            f"SELECT {COLUMNS} FROM missions WHERE trader_id = %s AND status = 'open' "
            "AND expires_at > %s ORDER BY expires_at",
            (trader_id, now),
        )
        return [Mission(**r) for r in self.cur.fetchall()]

    def for_signal_trader(self, signal_id: UUID, trader_id: UUID) -> Mission | None:
        self.cur.execute(
            f"SELECT {COLUMNS} FROM missions WHERE signal_id = %s AND trader_id = %s",
            (signal_id, trader_id),
        )
        row = self.cur.fetchone()
        return Mission(**row) if row else None

    def transition(
        self,
        mission_id: UUID,
        expected: MissionStatus,
        target: MissionStatus,
        reason: str | None = None,
    ) -> None:
        """Move `expected -> target` (with why); IllegalTransition or TransitionLost write
        nothing."""
        MISSION_STATES.check(expected, target)
        self.cur.execute(
            "UPDATE missions SET status = %s, status_reason = %s WHERE id = %s AND status = %s",
            (target.value, reason, mission_id, expected.value),
        )
        if self.cur.rowcount != 1:
            raise lost("mission", mission_id, expected, target)

    def request_fire(self, mission_id: UUID, now: datetime) -> int:
        """`open -> fire_requested`, counting the attempt; returns the attempt's number."""
        MISSION_STATES.check(MissionStatus.OPEN, MissionStatus.FIRE_REQUESTED)
        self.cur.execute(
            "UPDATE missions SET status = 'fire_requested', status_reason = NULL, "
            "fire_attempts = fire_attempts + 1, fire_requested_at = %s "
            "WHERE id = %s AND status = 'open' RETURNING fire_attempts",
            (now, mission_id),
        )
        row = self.cur.fetchone()
        if row is None:
            raise lost("mission", mission_id, MissionStatus.OPEN, MissionStatus.FIRE_REQUESTED)
        return int(row["fire_attempts"])

    def expire_due(self, now: datetime) -> list[UUID]:
        """Move every open mission whose window has passed to expired (one set-wise CAS)."""
        MISSION_STATES.check(MissionStatus.OPEN, MissionStatus.EXPIRED)
        self.cur.execute(
            "UPDATE missions SET status = 'expired' WHERE status = 'open' AND expires_at <= %s "
            "RETURNING id",
            (now,),
        )
        return [r["id"] for r in self.cur.fetchall()]

    def record_fire_request(
        self, mission_id: UUID, source: str, key: str, accepted: bool, now: datetime
    ) -> bool:
        """False when this exact request (same idempotency key) was already recorded."""
        self.cur.execute(
            "INSERT INTO fire_requests VALUES (%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (idempotency_key) DO NOTHING",
            (uuid.uuid4(), mission_id, source, key, accepted, now),
        )
        return self.cur.rowcount == 1
