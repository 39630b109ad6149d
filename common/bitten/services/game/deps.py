"""What the game's scheduled and queue functions need (built by bitten.bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bitten.ports import Clock, MessageQueue, Notifier, UnitOfWork


class Storage(Protocol):
    """Storage and time: what most game use cases need (every deps class has both)."""

    @property
    def uow(self) -> UnitOfWork: ...
    @property
    def clock(self) -> Clock: ...


@dataclass
class GameTickDeps:
    """game_tick: due drill reports, recruits turned active, deep-dives, the outbox relay."""

    uow: UnitOfWork
    clock: Clock
    notices_queue: MessageQueue
    chunk: int = 500  # traders per drill transaction

    def now(self) -> datetime:
        return self.clock.now()


@dataclass
class GameDispatchDeps:
    """game_dispatch: send one owed notice (the notifier paces it under Telegram's limits)."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
