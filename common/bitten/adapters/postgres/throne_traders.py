"""The Throne's accounts, VENOM's live results, trader search and mission traces."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from bitten.adapters.postgres import Cursor
from bitten.domain.throne import AccountRow, LiveResult
from bitten.domain.trade import TraceEvent
from bitten.domain.trader_trace import MissionTrace, TraderMatch

ACCOUNTS = """
SELECT b.login, b.trader_id, t.telegram_id, b.demo, s.refreshed_at, s.trade_allowed,
       o.at AS last_offline_at
FROM broker_accounts b JOIN traders t ON t.id = b.trader_id
LEFT JOIN account_snapshots s ON s.login = b.login
LEFT JOIN (SELECT trader_id, max(at) AS at FROM trace_events
           WHERE hop = 'fire_refused' AND detail->>'code' = 'terminal_offline'
           GROUP BY trader_id) o ON o.trader_id = b.trader_id
ORDER BY s.refreshed_at NULLS FIRST, b.login LIMIT %s"""

# One trade per signal, however many traders took it (the backtest trades each signal once):
# its pips are the average of its closed positions (they differ only by slippage).
LIVE = """
SELECT setup, count(*) AS trades, count(*) FILTER (WHERE pips > 0) AS wins,
       coalesce(sum(pips) FILTER (WHERE pips > 0), 0) AS pips_won,
       coalesce(-sum(pips) FILTER (WHERE pips < 0), 0) AS pips_lost
FROM (SELECT s.engine AS setup, s.id, avg(p.pips) AS pips
      FROM positions p JOIN missions m ON m.id = p.mission_id JOIN signals s ON s.id = m.signal_id
      WHERE p.closed_at IS NOT NULL AND p.pips IS NOT NULL GROUP BY s.engine, s.id) per_signal
GROUP BY setup ORDER BY setup"""

SEARCH = """
SELECT t.id AS trader_id, t.telegram_id, t.username, t.tier, b.login,
       CASE WHEN t.telegram_id = %(tg)s THEN 'telegram id'
            WHEN b.login = %(q)s THEN 'broker login'
            WHEN t.id = %(id)s THEN 'trader id'
            WHEN lower(t.username) = lower(%(name)s) THEN 'username'
            ELSE 'mission id' END AS matched
FROM traders t LEFT JOIN broker_accounts b ON b.trader_id = t.id
WHERE t.telegram_id = %(tg)s OR b.login = %(q)s OR t.id = %(id)s
   OR t.id IN (SELECT trader_id FROM missions WHERE id = %(id)s)
   OR lower(t.username) = lower(%(name)s)
ORDER BY t.created_at LIMIT %(limit)s"""

MISSIONS = """
SELECT m.id AS mission_id, m.signal_id, s.pair, s.direction, s.engine AS setup, m.status,
       m.status_reason, m.lots::text AS lots, m.created_at
FROM missions m JOIN signals s ON s.id = m.signal_id
WHERE m.trader_id = %s ORDER BY m.created_at DESC, m.id LIMIT %s"""

TRACES = """
SELECT mission_id, signal_id, hop, at, detail FROM trace_events
WHERE mission_id = ANY(%s) OR (mission_id IS NULL AND signal_id = ANY(%s))
ORDER BY at, id"""


def _uuid(q: str) -> UUID | None:
    try:
        return UUID(q)
    except ValueError:
        return None


class PostgresThroneTraders:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def accounts(self, limit: int) -> list[AccountRow]:
        """Accounts never read or read longest ago first."""
        self.cur.execute(ACCOUNTS, (limit,))
        return [AccountRow(**r) for r in self.cur.fetchall()]

    def live_results(self) -> list[LiveResult]:
        self.cur.execute(LIVE)
        return [LiveResult(**r) for r in self.cur.fetchall()]

    def find_traders(self, q: str, limit: int) -> list[TraderMatch]:
        """By Telegram id, broker login, trader or mission id, or exact @username."""
        q = q.strip()
        tg = int(q) if q.isdigit() and len(q) < 19 else None
        args = {"q": q, "tg": tg, "id": _uuid(q), "name": q.lstrip("@"), "limit": limit}
        self.cur.execute(SEARCH, args)
        return [TraderMatch(**r) for r in self.cur.fetchall()]

    def mission_traces(self, trader_id: UUID, limit: int) -> list[MissionTrace]:
        """The trader's newest missions, each with its signal's hops and its own, in order."""
        self.cur.execute(MISSIONS, (trader_id, limit))
        missions = list(self.cur.fetchall())
        if not missions:
            return []
        self.cur.execute(
            TRACES, ([m["mission_id"] for m in missions], [m["signal_id"] for m in missions])
        )
        by_key: dict[UUID, list[TraceEvent]] = defaultdict(list)
        for r in self.cur.fetchall():
            event = TraceEvent(hop=r["hop"], at=r["at"], detail=r["detail"])
            by_key[r["mission_id"] or r["signal_id"]].append(event)
        return [
            MissionTrace(**m, trace=_merged(by_key[m["signal_id"]], by_key[m["mission_id"]]))
            for m in missions
        ]


def _merged(signal_hops: list[TraceEvent], mission_hops: list[TraceEvent]) -> list[TraceEvent]:
    """The signal's hops then the mission's, in time order (stable: ties keep that order)."""
    return sorted([*signal_hops, *mission_hops], key=lambda e: e.at)
