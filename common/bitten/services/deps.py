"""What each use case needs from the outside world (built by bitten.bootstrap)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from bitten.ports import (
    Broker,
    Clock,
    FireLock,
    MarketFeed,
    MessageQueue,
    Notifier,
    SessionTokens,
    UnitOfWork,
)

if TYPE_CHECKING:  # numpy stays out of functions that never scan
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


@dataclass
class AlertDeps:
    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    tokens: SessionTokens
    group_chat_id: int
    hud_base_url: str


@dataclass
class FireRequestDeps:
    uow: UnitOfWork
    clock: Clock
    fires_queue: MessageQueue


@dataclass
class FireExecDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    lock: FireLock
    notifier: Notifier


@dataclass
class SyncDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    notifier: Notifier
    unknown_grace_seconds: int = 120


@dataclass
class BotDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    notifier: Notifier
    fires_queue: MessageQueue
    demo_balance: Decimal = Decimal(10_000)
    bot_username: str = ""  # issue 12: invite links t.me/<bot_username>?start=<code>

    def fire_deps(self) -> FireRequestDeps:
        return FireRequestDeps(self.uow, self.clock, self.fires_queue)


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
    health_checks: dict[str, Callable[[], object]] = field(default_factory=dict)
