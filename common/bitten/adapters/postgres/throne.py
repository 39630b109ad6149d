"""PostgresThrone: the Commander Throne's read model over the shared transaction."""

from __future__ import annotations

from bitten.adapters.postgres import Cursor
from bitten.adapters.postgres.throne_flow import PostgresThroneFlow
from bitten.adapters.postgres.throne_traders import PostgresThroneTraders


class PostgresThrone(PostgresThroneFlow, PostgresThroneTraders):
    """Flow, latencies and Telegram (throne_flow); accounts, results, traders (throne_traders)."""

    def __init__(self, cur: Cursor) -> None:
        self.cur = cur
