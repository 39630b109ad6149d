"""What the Throne shows operators: the flow, hop latencies, terminals, Telegram, VENOM drift."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

Window = Literal["hour", "day"]
WINDOWS: dict[str, timedelta] = {"hour": timedelta(hours=1), "day": timedelta(days=1)}

# The journey, hop to hop (each latency is from one to the next, per signal or mission).
JOURNEY = (
    "candle_close",
    "signal_emitted",
    "mission_created",
    "alert_sent",
    "fire_requested",
    "order_sent",
    "broker_fill",
)

# The hops the flow panel counts.
FLOW_HOPS = (
    "mission_created",
    "alert_sent",
    "fire_requested",
    "broker_fill",
    "order_reconciled",
    "mission_expired",
    "position_closed",
    "mission_skipped",
)


class Percentiles(BaseModel):
    """Seconds at the 50th, 95th and 99th percentile over `count` samples."""

    count: int = 0
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None


class HopLatency(BaseModel):
    """From one hop to the next (or candle close to fill: the whole journey)."""

    from_hop: str
    to_hop: str
    seconds: Percentiles


class FlowCounts(BaseModel):
    """What happened in a window, counted from the trace and the signals."""

    signals_by_setup: dict[str, int] = {}
    hops: dict[str, int] = {}  # trace hop (of FLOW_HOPS) -> rows in the window
    rejects: dict[str, int] = {}  # "refused: paused", "rejected: Requote" ...
    alert_lag: Percentiles = Percentiles()  # candle close -> alert sent


class Flow(BaseModel):
    window: Window
    since: datetime
    until: datetime
    signals: int
    signals_by_setup: dict[str, int]
    missions: int
    alerts_sent: int
    alert_lag: Percentiles
    fires: int
    fills: int
    rejects: dict[str, int]
    reconciliations: int
    expiries: int
    closes: int
    skipped: int


def flow_of(window: Window, since: datetime, until: datetime, counts: FlowCounts) -> Flow:
    """The panel's figures from the raw counts."""
    hop = counts.hops.get
    return Flow(
        window=window,
        since=since,
        until=until,
        signals=sum(counts.signals_by_setup.values()),
        signals_by_setup=counts.signals_by_setup,
        missions=hop("mission_created", 0),
        alerts_sent=hop("alert_sent", 0),
        alert_lag=counts.alert_lag,
        fires=hop("fire_requested", 0),
        fills=hop("broker_fill", 0),
        rejects=counts.rejects,
        reconciliations=hop("order_reconciled", 0),
        expiries=hop("mission_expired", 0),
        closes=hop("position_closed", 0),
        skipped=hop("mission_skipped", 0),
    )


class AccountRow(BaseModel):
    """One trading account as storage last saw it."""

    login: str
    trader_id: UUID
    telegram_id: int
    demo: bool
    refreshed_at: datetime | None = None
    trade_allowed: bool | None = None
    last_offline_at: datetime | None = None  # the latest FIRE refused as terminal offline


class Terminal(BaseModel):
    login: str
    trader_id: UUID
    telegram_id: int
    demo: bool
    status: Literal["online", "stale", "offline", "trading off", "never read"]
    age_s: float | None
    last_offline_at: datetime | None


def terminal_of(row: AccountRow, now: datetime, max_age_s: float) -> Terminal:
    """online / stale / offline / trading off / never read, from the latest snapshot."""
    age = None if row.refreshed_at is None else (now - row.refreshed_at).total_seconds()
    status: Literal["online", "stale", "offline", "trading off", "never read"] = "online"
    if row.refreshed_at is None or age is None:
        status = "never read"
    elif row.last_offline_at is not None and row.last_offline_at >= row.refreshed_at:
        status = "offline"
    elif row.trade_allowed is False:
        status = "trading off"
    elif age > max_age_s:
        status = "stale"
    return Terminal(
        login=row.login,
        trader_id=row.trader_id,
        telegram_id=row.telegram_id,
        demo=row.demo,
        status=status,
        age_s=age,
        last_offline_at=row.last_offline_at,
    )


class TelegramDelivery(BaseModel):
    """Alerts out, alerts held back, and what Telegram's limits did to them."""

    personal_sent: int = 0
    paid_sent: int = 0  # sent with allow_paid_broadcast (Stars per message)
    group_sent: int = 0
    skipped: dict[str, int] = {}  # late, blocked ...
    requeued: dict[str, int] = {}  # flood (429 beyond the wait budget), busy lanes


class LiveResult(BaseModel):
    """Closed live trades of one setup, in pips (as the backtest counts them)."""

    setup: str
    trades: int
    wins: int
    pips_won: Decimal = Decimal(0)
    pips_lost: Decimal = Decimal(0)  # positive


class SetupReference(BaseModel):
    """A setup's backtest range: min..max of win rate (%) and PF across its recorded runs."""

    setup: str
    win_rate: tuple[float, float]
    profit_factor: tuple[float, float]
    runs: int
    source: str


DriftStatus = Literal["ok", "drift", "too few trades", "no reference"]


class Drift(BaseModel):
    setup: str
    trades: int
    win_rate: float | None
    profit_factor: float | None
    reference: SetupReference | None
    status: DriftStatus
    note: str
