"""PostgresSendPacer: Telegram's limits shared by every function instance (one row per lane)."""

from __future__ import annotations

import threading
from typing import Any

from bitten.domain.pacing import Slot, SlotRequest, place

LOCK = (
    "SELECT lane, tat, extract(epoch FROM clock_timestamp())::float8 AS now "
    "FROM send_lanes WHERE lane = ANY(%s) ORDER BY lane FOR UPDATE"
)
CREATE = "INSERT INTO send_lanes (lane, tat) SELECT unnest(%s::text[]), 0 ON CONFLICT DO NOTHING"
MOVE = (
    "UPDATE send_lanes s SET tat = v.tat FROM "
    "unnest(%s::text[], %s::float8[]) AS v(lane, tat) WHERE s.lane = v.lane"
)


class PostgresSendPacer:
    """Reserve send slots on lanes locked in name order (no deadlocks), on the database clock.

    Each call is one transaction in two round trips, whatever the batch size: BEGIN, create
    missing lanes and lock them go out together; the GCRA of bitten.domain.pacing places every
    message; the new lane states and COMMIT go out together. The connection is the pacer's
    own (autocommit, so BEGIN/COMMIT are pipelined statements), never a caller's transaction.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Any = None
        self._lock = threading.Lock()

    def reserve(self, requests: list[SlotRequest]) -> list[Slot]:
        if not requests:
            return []
        names = sorted({name for r in requests for name in r.lanes()})
        with self._lock:
            conn = self._connection()
            try:
                return self._reserve(conn, names, requests)
            except Exception:
                self._conn = None  # a broken connection is replaced on the next call
                conn.close()
                raise

    def _reserve(self, conn: Any, names: list[str], requests: list[SlotRequest]) -> list[Slot]:
        with conn.pipeline(), conn.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(CREATE, (names,))
            cur.execute(LOCK, (names,))
            rows = cur.fetchall()
            now = float(rows[0][2])
            tats = {lane: float(tat) for lane, tat, _ in rows}
            before = dict(tats)
            slots = [place(r, tats, now) for r in requests]
            moved = [(lane, tat) for lane, tat in tats.items() if before.get(lane) != tat]
            if moved:
                cur.execute(MOVE, ([m[0] for m in moved], [m[1] for m in moved]))
            cur.execute("COMMIT")
        return slots

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            import psycopg

            self._conn = psycopg.connect(self.url, autocommit=True)
        return self._conn

    def ping(self) -> None:
        """Connect (if not yet) and ask the server for SELECT 1."""
        with self._lock:
            self._connection().execute("SELECT 1")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
