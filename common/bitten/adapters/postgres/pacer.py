"""PostgresSendPacer: Telegram's limits shared by every function instance (one row per lane)."""

from __future__ import annotations

from bitten.adapters.postgres.db import Database
from bitten.domain.pacing import Slot, SlotRequest, place


class PostgresSendPacer:
    """Reserve send slots on lanes locked in name order (no deadlocks), on the database clock.

    Each call is one short transaction, whatever the batch size: the lane rows are locked,
    the GCRA of bitten.domain.pacing places every message, the new lane states are written.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def reserve(self, requests: list[SlotRequest]) -> list[Slot]:
        names = sorted({name for r in requests for name in r.lanes()})
        with self.db.tx() as cur:
            cur.execute(
                "INSERT INTO send_lanes (lane, tat) SELECT unnest(%s::text[]), 0 "
                "ON CONFLICT DO NOTHING",
                (names,),
            )
            cur.execute(
                "SELECT lane, tat, extract(epoch FROM clock_timestamp())::float8 AS now "
                "FROM send_lanes WHERE lane = ANY(%s) ORDER BY lane FOR UPDATE",
                (names,),
            )
            rows = cur.fetchall()
            now = float(rows[0]["now"])
            tats = {r["lane"]: float(r["tat"]) for r in rows}
            before = dict(tats)
            slots = [place(r, tats, now) for r in requests]
            moved = [(lane, tat) for lane, tat in tats.items() if before.get(lane) != tat]
            if moved:
                cur.execute(
                    "UPDATE send_lanes s SET tat = v.tat FROM "
                    "unnest(%s::text[], %s::float8[]) AS v(lane, tat) WHERE s.lane = v.lane",
                    ([m[0] for m in moved], [m[1] for m in moved]),
                )
        return slots
