"""Storage port of the Commander Throne (issue 13): the operators' read model, `repos.throne`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from bitten.domain.throne import (
    AccountRow,
    FlowCounts,
    HopLatency,
    LiveResult,
    TelegramDelivery,
)
from bitten.domain.trader_trace import MissionTrace, TraderMatch


class ThroneReads(Protocol):
    """Counts, percentiles and traces over signals, missions, positions and the trace."""

    def flow_counts(self, since: datetime, until: datetime) -> FlowCounts: ...
    def hop_latencies(self, since: datetime, until: datetime) -> list[HopLatency]: ...
    def telegram(self, since: datetime, until: datetime) -> TelegramDelivery: ...
    def accounts(self, limit: int) -> list[AccountRow]: ...
    def live_results(self) -> list[LiveResult]: ...
    def find_traders(self, q: str, limit: int) -> list[TraderMatch]: ...
    def mission_traces(self, trader_id: UUID, limit: int) -> list[MissionTrace]: ...
