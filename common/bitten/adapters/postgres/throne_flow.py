"""The Throne's flow: counts per window, per-hop latency percentiles, Telegram delivery.

Percentiles are computed in SQL (percentile_cont over one row per signal or mission), so a day
of traffic never leaves the database as rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bitten.adapters.postgres import Cursor
from bitten.domain.throne import (
    FLOW_HOPS,
    FlowCounts,
    HopLatency,
    Percentiles,
    TelegramDelivery,
)

WINDOW = "at > %(since)s AND at <= %(until)s"


def window(alias: str) -> str:
    """The window on `alias`.at."""
    return f"{alias}.at > %(since)s AND {alias}.at <= %(until)s"


PERCENTILES = "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY s) AS p"

REJECTS = f"""
SELECT CASE WHEN t.hop = 'fire_refused' THEN 'refused: ' || coalesce(t.detail->>'code', '?')
            ELSE 'rejected: ' || coalesce(m.status_reason, 'retcode ' || (t.detail->>'retcode'))
       END AS reason, count(*) AS n
FROM trace_events t LEFT JOIN missions m ON m.id = t.mission_id
WHERE t.hop IN ('fire_refused', 'order_rejected') AND {window("t")}
GROUP BY 1 ORDER BY 2 DESC, 1"""

ALERT_LAG = f"""
SELECT count(*) AS n, {PERCENTILES} FROM (
    SELECT extract(epoch FROM a.at - c.at)::float8 AS s
    FROM trace_events a
    JOIN LATERAL (SELECT min(at) AS at FROM trace_events
                  WHERE signal_id = a.signal_id AND hop = 'candle_close') c ON c.at IS NOT NULL
    WHERE a.hop = 'alert_sent' AND {window("a")}) lags"""

# One sample per signal (its own hops) and per mission (its hops, its signal's emission); each
# mission hop is the first time it happened (a refused tap tried again counts from the first).
# Each span is its own ordered-set aggregate over one row per mission: no sort of every sample
# of every hop together.
SAMPLES = f"""
WITH ms AS (
    SELECT m.id, m.signal_id FROM missions m WHERE m.id IN (
        SELECT mission_id FROM trace_events WHERE hop = 'mission_created' AND {WINDOW})
), ss AS (
    SELECT signal_id FROM trace_events WHERE hop = 'signal_emitted' AND {WINDOW}
    UNION SELECT signal_id FROM ms
), sig AS (
    SELECT signal_id, min(at) FILTER (WHERE hop = 'candle_close') AS cc,
           min(at) FILTER (WHERE hop = 'signal_emitted') AS se
    FROM trace_events WHERE mission_id IS NULL AND signal_id IN (SELECT signal_id FROM ss)
    GROUP BY signal_id
), mis AS (
    SELECT ms.signal_id,
           min(t.at) FILTER (WHERE t.hop = 'mission_created') AS mc,
           min(t.at) FILTER (WHERE t.hop = 'alert_sent') AS al,
           min(t.at) FILTER (WHERE t.hop = 'fire_requested') AS fr,
           min(t.at) FILTER (WHERE t.hop = 'order_sent') AS os,
           min(t.at) FILTER (WHERE t.hop = 'broker_fill') AS bf
    FROM ms JOIN trace_events t ON t.mission_id = ms.id
    WHERE t.hop IN ('mission_created', 'alert_sent', 'fire_requested', 'order_sent', 'broker_fill')
    GROUP BY ms.id, ms.signal_id
), journeys AS MATERIALIZED (
    SELECT sig.cc, sig.se, mis.* FROM mis LEFT JOIN sig ON sig.signal_id = mis.signal_id
), emitted AS (
    SELECT * FROM sig WHERE se > %(since)s AND se <= %(until)s
)"""
SPANS = (  # from, to, their columns, and the rows they are read from
    ("candle_close", "signal_emitted", "cc", "se", "emitted"),
    ("signal_emitted", "mission_created", "se", "mc", "journeys"),
    ("mission_created", "alert_sent", "mc", "al", "journeys"),
    ("alert_sent", "fire_requested", "al", "fr", "journeys"),
    ("fire_requested", "order_sent", "fr", "os", "journeys"),
    ("order_sent", "broker_fill", "os", "bf", "journeys"),
    ("candle_close", "broker_fill", "cc", "bf", "journeys"),  # the whole journey
)
LATENCIES = (
    SAMPLES
    + "\n"
    + "\nUNION ALL\n".join(
        f"SELECT {i} AS ord, '{f}' AS f, '{t}' AS t, count(*) AS n, percentile_cont("
        f"ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM {b} - {a})::float8)"
        " AS p"
        f" FROM {rows} WHERE {a} IS NOT NULL AND {b} IS NOT NULL"
        for i, (f, t, a, b, rows) in enumerate(SPANS)
    )
    + "\nORDER BY ord"
)

TELEGRAM = f"""
SELECT count(*) AS sent, count(*) FILTER (WHERE (detail->>'paid')::boolean) AS paid
FROM trace_events WHERE hop = 'alert_sent' AND {WINDOW}"""
HELD_BACK = f"""
SELECT hop, coalesce(detail->>'reason', detail->>'status', '?') AS why, count(*) AS n
FROM trace_events WHERE hop IN ('alert_skipped', 'alert_requeued', 'alert_failed') AND {WINDOW}
GROUP BY 1, 2 ORDER BY 1, 2"""
GROUP_SENT = """
SELECT count(*) AS n FROM group_alerts
WHERE message_id <> 0 AND sent_at > %(since)s AND sent_at <= %(until)s"""


def percentiles(row: dict[str, Any] | None) -> Percentiles:
    """count + p50/p95/p99 seconds (3 decimals) from a row with `n` and the array `p`."""
    if row is None or not row["n"]:
        return Percentiles()
    p50, p95, p99 = (round(float(v), 3) for v in row["p"])
    return Percentiles(count=row["n"], p50=p50, p95=p95, p99=p99)


class PostgresThroneFlow:
    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def _rows(self, sql: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        self.cur.execute(sql, {"since": since, "until": until, "hops": list(FLOW_HOPS)})
        return list(self.cur.fetchall())

    def flow_counts(self, since: datetime, until: datetime) -> FlowCounts:
        signals = "SELECT engine, count(*) AS n FROM signals WHERE created_at > %(since)s "
        signals += "AND created_at <= %(until)s GROUP BY engine ORDER BY engine"
        hops = "SELECT hop, count(*) AS n FROM trace_events WHERE hop = ANY(%(hops)s) "
        hops += f"AND {WINDOW} GROUP BY hop"  # by hop: the (hop, at) index serves it
        return FlowCounts(
            signals_by_setup={r["engine"]: r["n"] for r in self._rows(signals, since, until)},
            hops={r["hop"]: r["n"] for r in self._rows(hops, since, until)},
            rejects={r["reason"]: r["n"] for r in self._rows(REJECTS, since, until)},
            alert_lag=percentiles(self._rows(ALERT_LAG, since, until)[0]),
        )

    def hop_latencies(self, since: datetime, until: datetime) -> list[HopLatency]:
        # A day of missions sorts a few hundred thousand samples: in memory, not on disk
        self.cur.execute("SET LOCAL work_mem = '64MB'")
        return [
            HopLatency(from_hop=r["f"], to_hop=r["t"], seconds=percentiles(r))
            for r in self._rows(LATENCIES, since, until)
        ]

    def telegram(self, since: datetime, until: datetime) -> TelegramDelivery:
        (sent,) = self._rows(TELEGRAM, since, until)
        held: dict[str, dict[str, int]] = {"alert_skipped": {}, "alert_requeued": {}}
        for r in self._rows(HELD_BACK, since, until):
            failed = r["hop"] == "alert_failed"  # not sent and not retried: shown as skipped
            why = f"failed: {r['why']}" if failed else r["why"]
            held["alert_skipped" if failed else r["hop"]][why] = r["n"]
        return TelegramDelivery(
            personal_sent=sent["sent"],
            paid_sent=sent["paid"],
            group_sent=self._rows(GROUP_SENT, since, until)[0]["n"],
            skipped=held["alert_skipped"],
            requeued=held["alert_requeued"],
        )
