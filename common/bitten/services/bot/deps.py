"""What the bot needs: storage, broker (account checks), notifier, the fire queue."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bitten.ports import Broker, Clock, MessageQueue, Notifier
from bitten.services.deps import FireRequestDeps, UnitOfWork


@dataclass
class BotDeps:
    uow: UnitOfWork
    clock: Clock
    broker: Broker
    notifier: Notifier
    fires_queue: MessageQueue
    demo_balance: Decimal = Decimal(10_000)

    def fire_deps(self) -> FireRequestDeps:
        return FireRequestDeps(self.uow, self.clock, self.fires_queue)
