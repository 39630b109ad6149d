"""What the game's scheduled and queue functions need (built by bitten.bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bitten.ports import Clock, Notifier, UnitOfWork

if TYPE_CHECKING:  # the game's storage types stay out of every function's cold start
    from bitten.ports_game import NoticeQueue, Pacer


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
    notices_queue: NoticeQueue
    chunk: int = 500  # traders per drill transaction

    def now(self) -> datetime:
        return self.clock.now()


@dataclass
class GameDispatchDeps:
    """game_dispatch: send one owed notice, paced under Telegram's limits."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    pacer: Pacer
