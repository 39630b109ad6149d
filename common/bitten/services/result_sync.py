"""result_sync use case: expire missions, reconcile unknown fires, record closes, heartbeat."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout, OrderResult
from bitten.domain.fire import PendingFire
from bitten.domain.state import TransitionLost
from bitten.domain.trade import TrackedPosition
from bitten.services.deps import SyncDeps
from bitten.services.positions import record_close, record_fill, record_rejection

log = logs.get("result_sync")


def sync_results(deps: SyncDeps) -> Counter[str]:
    """One pass; every step is idempotent so overlapping runs are harmless."""
    report: Counter[str] = Counter()
    report["expired"] = expire_missions(deps)
    report.update(reconcile_fires(deps))
    report["closed"] = sync_closes(deps)
    return report


def expire_missions(deps: SyncDeps) -> int:
    now = deps.clock.now()
    with deps.uow() as repos:
        expired = repos.missions.expire_due(now)
        for mission_id in expired:
            repos.trace.stamp("mission_expired", now, mission_id=mission_id)
    return len(expired)


def reconcile_fires(deps: SyncDeps) -> Counter[str]:
    """Fires whose outcome we never heard: ask the broker by client id, never resend."""
    outcome: Counter[str] = Counter()
    with deps.uow() as repos:
        stuck = repos.fires.pending(deps.clock.now() - timedelta(seconds=30))
    for fire in stuck:
        try:
            outcome[f"reconciled_{_reconcile(fire, deps)}"] += 1
        except TransitionLost:  # fire_execution recorded the outcome meanwhile
            outcome["reconciled_elsewhere"] += 1
    return outcome


def _reconcile(fire: PendingFire, deps: SyncDeps) -> str:
    found = None
    if fire.state is not None and fire.order is not None:  # only a sent order can exist
        try:
            found = deps.broker.find_order(fire.login, fire.order.client_id)
        except (BrokerTimeout, BrokerError):
            return "pending"
        if found is not None and found.filled:
            record_fill(fire.mission_id, fire.order, found, fire.state, deps)
            return "filled"
    age = (deps.clock.now() - fire.since).total_seconds()
    if found is None and age < deps.unknown_grace_seconds:
        return "pending"
    result = found or OrderResult(
        retcode=0,
        client_id=str(fire.mission_id),
        retcode_text="the order never reached the broker; not executed",
    )
    record_rejection(fire.mission_id, result, fire.state, deps)
    return "rejected"


def sync_closes(deps: SyncDeps) -> int:
    with deps.uow() as repos:
        open_positions = repos.fires.open_positions()
    by_login: dict[str, list[TrackedPosition]] = {}
    for p in open_positions:
        by_login.setdefault(p.login, []).append(p)
    closed = 0
    for login, positions in by_login.items():
        since = min(p.opened_at for p in positions)
        try:
            deals = {d.client_id: d for d in deps.broker.closed_deals(login, since)}
        except (BrokerTimeout, BrokerError):
            log.warning("broker unavailable for %s; will retry", login)
            continue
        for p in positions:
            deal = deals.get(str(p.mission_id))
            if deal is not None and record_close(p, deal, deps):
                closed += 1
    return closed
