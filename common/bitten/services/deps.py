"""What each use case needs from the outside world (built by bitten.bootstrap)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bitten.domain.tiers import Tier
from bitten.ports import (
    BarSource,
    Broker,
    Clock,
    FireLock,
    MarketFeed,
    MessageQueue,
    Notifier,
    SessionTokens,
    UnitOfWork,
)
from bitten.services.throne.deps import ThroneDeps

if TYPE_CHECKING:  # numpy stays out of functions that never scan
    from bitten.ports_ops import QueueAdmin
    from bitten.strategy.candles import Candles
    from bitten.strategy.venom import Signal

    Scanner = Callable[[dict[str, Candles], int], list[Signal]]  # bitten.strategy.venom.scan


@dataclass
class ScanDeps:
    uow: UnitOfWork
    clock: Clock
    feed: MarketFeed
    signals_queue: MessageQueue
    scanner: Scanner
    lookback_bars: int
    engine: str
    account_currency: str
    # Pairs the last scan left out, with why: each change is logged once, not every minute.
    unvalued_pairs: dict[str, str] = field(default_factory=dict)


@dataclass
class FanoutDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    alerts_queue: MessageQueue
    risk_percent: Decimal
    snapshot_max_age_s: int = 300  # older account snapshots are read again (in batches)


@dataclass
class AlertDeps:
    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    group_chat_id: int
    hud_base_url: str
    paid_broadcast: bool = False  # personal alerts with allow_paid_broadcast (Stars per message)
    requeue: MessageQueue | None = None  # the alerts queue: flood-controlled messages go back


@dataclass
class FireRequestDeps:
    uow: UnitOfWork
    clock: Clock
    fires_queue: MessageQueue


@dataclass(frozen=True)
class RetryPolicy:
    """Re-sends only where the return code says nothing executed (requote, price changed,
    off quotes, 429): at most `max_resends`, waiting at most `max_wait_s` in all."""

    max_resends: int = 3
    max_wait_s: float = 3.0
    backoff_s: tuple[float, ...] = (0.1, 0.3, 0.9)

    def delay(self, resend: int) -> float:
        return self.backoff_s[min(resend, len(self.backoff_s) - 1)]


@dataclass(frozen=True)
class FireLimits:
    """The FireRouter's settings."""

    risk_percent: Decimal = Decimal(2)
    terminal_max_age_s: float = 30.0  # heartbeat older than this: terminal offline
    runaway_share: Decimal = Decimal("0.5")  # share of the way to the target: too late


@dataclass
class FireExecDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    lock: FireLock
    notifier: Notifier
    limits: FireLimits = field(default_factory=FireLimits)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    hud_base_url: str = ""  # the alert card's HUD button after a fill


@dataclass
class SyncDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    notifier: Notifier
    unknown_grace_seconds: int = 120
    hud_base_url: str = ""  # the alert card's HUD button after a close
    throne: ThroneDeps | None = None  # issue 13: the hourly drift check behind its alarm


@dataclass
class OpsDeps:
    """Operator actions: the kill switch and its audit log; issue 13: the queues and their
    DLQs, broadcasts (the game's notice queue), tiers and refunds, VENOM's setups."""

    uow: UnitOfWork
    clock: Clock
    queues: QueueAdmin | None = None  # None: this entry point has no access to the queues
    notices_queue: MessageQueue | None = None
    notifier: Notifier | None = None  # None: no Telegram configured (refunds need it)
    tier_prices: dict[Tier, int] = field(default_factory=dict)
    setup_names: tuple[str, ...] = ()  # bitten.strategy.setups.SETUPS
    hud_base_url: str = ""


@dataclass
class CallbackDeps:
    """The broker's signed fill and close events."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    secret: str
    max_age_s: int = 300
    hud_base_url: str = ""  # the alert card's HUD button after a fill or close


@dataclass
class BotDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    notifier: Notifier
    fires_queue: MessageQueue
    demo_balance: Decimal = Decimal(10_000)
    hud_base_url: str = ""  # where the Mini App pages are served (web_app buttons)
    tier_prices: dict[Tier, int] = field(default_factory=dict)  # Stars per 30 days
    bot_username: str = ""  # for referral links (t.me/<bot>?start=<code>)
    operator_ids: frozenset[int] = frozenset()  # issue 13: who may use the operator commands
    ops: OpsDeps | None = None  # issue 13: what those commands act through

    def fire_deps(self) -> FireRequestDeps:
        return FireRequestDeps(self.uow, self.clock, self.fires_queue)


@dataclass
class UpkeepDeps:
    """trader_upkeep (every minute): paid tiers that ended, alert cards left behind."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    hud_base_url: str
    log_retention_days: int = 14  # issue 13: older log lines are pruned


@dataclass
class ApiDeps:
    """The HTTP entry point: its use cases' deps, its secrets and its health probes."""

    uow: UnitOfWork
    clock: Clock
    fire: FireRequestDeps
    bot: BotDeps
    tokens: SessionTokens
    webhook_secret: str
    bot_token: str
    ops: OpsDeps
    callbacks: CallbackDeps
    bars: BarSource
    throne: ThroneDeps
    operator_ids: frozenset[int] = frozenset()
    # logins and session tokens are dated on this clock (None: `clock`); the local stack's is
    # the wall clock, so a Mini App session lasts its real minutes while candles replay fast
    session_clock: Clock | None = None
    public_url_configured: bool = True  # HUD_BASE_URL set (else webhook replies use the request's)
    health_checks: dict[str, Callable[[], object]] = field(default_factory=dict)

    def session_now(self) -> datetime:
        return (self.session_clock or self.clock).now()
