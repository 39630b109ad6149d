"""Unit of work: one transaction, every repository sharing its cursor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bitten.adapters.postgres import alerts, fires, missions, signals, telegram, trace, traders
from bitten.adapters.postgres.db import Database


@dataclass
class Repos:
    traders: traders.TraderRepo
    signals: signals.SignalRepo
    missions: missions.MissionRepo
    fires: fires.FireRepo
    telegram: telegram.UpdateRepo
    trace: trace.TraceRepo
    alerts: alerts.AlertRepo


class PostgresUnitOfWork:
    """`with uow() as repos:` commits on success and rolls back everything on error."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def __call__(self) -> Iterator[Repos]:
        with self.db.tx() as cur:
            yield Repos(
                traders.TraderRepo(cur),
                signals.SignalRepo(cur),
                missions.MissionRepo(cur),
                fires.FireRepo(cur),
                telegram.UpdateRepo(cur),
                trace.TraceRepo(cur),
                alerts.AlertRepo(cur),
            )
