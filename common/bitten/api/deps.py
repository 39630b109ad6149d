"""What the HTTP API needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bitten.ports import Clock
from bitten.services.bot.deps import BotDeps
from bitten.services.deps import FireRequestDeps, UnitOfWork


@dataclass
class ApiDeps:
    uow: UnitOfWork
    clock: Clock
    fire: FireRequestDeps
    bot: BotDeps
    jwt_secret: str
    webhook_secret: str
    bot_token: str
    health_checks: dict[str, Callable[[], Any]] = field(default_factory=dict)
