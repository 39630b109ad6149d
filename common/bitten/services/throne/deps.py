"""What the Throne's reads need (built by bitten.bootstrap.build_throne_deps)."""

from __future__ import annotations

from dataclasses import dataclass

from bitten.domain.throne import SetupReference
from bitten.ports import Clock, UnitOfWork


@dataclass
class ThroneDeps:
    uow: UnitOfWork
    clock: Clock
    references: tuple[SetupReference, ...] = ()  # VENOM's backtest ranges per setup
    drift_min_trades: int = 20  # fewer live trades than this: "too few trades" to judge
    terminal_max_age_s: float = 300.0  # an account snapshot older than this: stale
    accounts_shown: int = 100
