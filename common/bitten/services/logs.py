"""Logs as data: the operators' search, the retention prune, and the count the demo reports."""

from __future__ import annotations

from datetime import timedelta

from bitten import logs
from bitten.domain.logs import LogLine, LogQuery
from bitten.ports import Clock, UnitOfWork

PRUNE_BATCH = 5_000  # rows a transaction: short locks, however far behind the prune is
PRUNE_BATCHES = 20  # a run's most: 100,000 rows a minute keeps up with any log volume we make


def search_logs(query: LogQuery, uow: UnitOfWork) -> list[LogLine]:
    """Stored lines matching every filter of `query`, newest first."""
    with uow() as repos:
        return repos.logs.search(query)


def prune_logs(uow: UnitOfWork, clock: Clock, retention_days: int) -> int:
    """Delete the lines older than the retention, in batches; returns how many went."""
    before = clock.now() - timedelta(days=retention_days)
    pruned = 0
    for _ in range(PRUNE_BATCHES):
        with uow() as repos:
            gone = repos.logs.prune(before, PRUNE_BATCH)
        pruned += gone
        if gone < PRUNE_BATCH:
            break
    return pruned


def log_row_count(uow: UnitOfWork) -> int:
    """Lines stored so far, after writing out what the log handlers still hold."""
    logs.flush_handlers()
    with uow() as repos:
        return repos.logs.count()
