"""Unit of work: one transaction, every repository sharing its cursor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bitten.adapters.postgres.accounts import PostgresAccountSnapshots, PostgresBrokerDeals
from bitten.adapters.postgres.alerts import PostgresAlerts
from bitten.adapters.postgres.db import Database
from bitten.adapters.postgres.fires import PostgresFires
from bitten.adapters.postgres.game import PostgresGameRepositories
from bitten.adapters.postgres.journal import PostgresJournal
from bitten.adapters.postgres.log_lines import PostgresLogLines
from bitten.adapters.postgres.missions import PostgresMissions
from bitten.adapters.postgres.operators import PostgresAuditLog, PostgresSwitches
from bitten.adapters.postgres.ops import PostgresOpsRepositories
from bitten.adapters.postgres.signals import PostgresSignals
from bitten.adapters.postgres.subscriptions import PostgresSubscriptions
from bitten.adapters.postgres.telegram import PostgresTelegramUpdates
from bitten.adapters.postgres.throne import PostgresThrone
from bitten.adapters.postgres.trace import PostgresTraceLog
from bitten.adapters.postgres.traders import PostgresTraders


@dataclass(frozen=True)
class PostgresRepositories:
    traders: PostgresTraders
    signals: PostgresSignals
    missions: PostgresMissions
    fires: PostgresFires
    alerts: PostgresAlerts
    telegram: PostgresTelegramUpdates
    trace: PostgresTraceLog
    switches: PostgresSwitches
    audit: PostgresAuditLog
    snapshots: PostgresAccountSnapshots
    deals: PostgresBrokerDeals
    subscriptions: PostgresSubscriptions
    journal: PostgresJournal
    game: PostgresGameRepositories  # issue 12
    ops: PostgresOpsRepositories  # issue 13
    logs: PostgresLogLines  # issue 13
    throne: PostgresThrone  # issue 13: the operators' read model


class PostgresUnitOfWork:
    """`with uow() as repos:` commits on success and rolls back everything on error."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def __call__(self) -> Iterator[PostgresRepositories]:
        with self.db.tx() as cur:
            yield PostgresRepositories(
                PostgresTraders(cur),
                PostgresSignals(cur),
                PostgresMissions(cur),
                PostgresFires(cur),
                PostgresAlerts(cur),
                PostgresTelegramUpdates(cur),
                PostgresTraceLog(cur),
                PostgresSwitches(cur),
                PostgresAuditLog(cur),
                PostgresAccountSnapshots(cur),
                PostgresBrokerDeals(cur),
                PostgresSubscriptions(cur),
                PostgresJournal(cur),
                PostgresGameRepositories.on(cur),
                PostgresOpsRepositories.on(cur),
                PostgresLogLines(cur),
                PostgresThrone(cur),
            )
