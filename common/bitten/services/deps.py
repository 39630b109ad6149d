"""What each use case needs from the outside world (built by bitten.bootstrap)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bitten.ports import Broker, Clock, FireLock, MarketFeed, MessageQueue, Notifier

UnitOfWork = Callable[[], Any]  # `with uow() as repos:` (adapters.postgres.uow.Repos)
Scanner = Callable[..., list[Any]]  # bitten.strategy.venom.scan signature


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
    group_chat_id: int
    hud_base_url: str
    jwt_secret: str


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
