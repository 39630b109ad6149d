"""result_sync use case: expire missions, reconcile fires, record closes, refresh accounts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bitten import logs, metrics
from bitten.domain.broker import AccountSnapshot, BrokerError, BrokerTimeout, OrderResult
from bitten.domain.fire import FireState, PendingFire
from bitten.domain.state import TransitionLost
from bitten.domain.trade import TrackedPosition
from bitten.services.deps import SyncDeps
from bitten.services.handback import record_release
from bitten.services.positions import record_close, record_fill, record_rejection
from bitten.services.throne.view import report_drift

log = logs.get("result_sync")
NEVER_SENT = (None, FireState.CLAIMED)


def sync_results(deps: SyncDeps) -> Counter[str]:
    """One pass; every step is idempotent so overlapping runs are harmless."""
    report: Counter[str] = Counter()
    report["expired"] = expire_missions(deps)
    report.update(reconcile_fires(deps))
    report["closed"] = sync_closes(deps)
    report["snapshots"] = refresh_snapshots(deps)
    if metrics.enabled():  # one broker call a minute, only where someone reads the metric
        report["heartbeat"] = report_heartbeat(deps)
        if deps.throne is not None and deps.clock.now().minute == 0:  # the hourly drift alarm
            report["drift_warnings"] = report_drift(deps.throne)
    return report


def report_heartbeat(deps: SyncDeps) -> int:
    """The broker terminal's heartbeat age, for the stale-heartbeat alarm; an unreachable or
    disconnected terminal writes nothing, which the alarm counts as stale."""
    try:
        beat = deps.broker.heartbeat()
    except (BrokerTimeout, BrokerError) as err:
        log.warning("broker heartbeat failed: %s", err)
        return 0
    if not beat.connected:
        log.warning("broker terminal reports disconnected")
        return 0
    metrics.heartbeat_age(max(0.0, (deps.clock.now() - beat.server_time).total_seconds()))
    return 1


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
    age = (deps.clock.now() - fire.since).total_seconds()
    if fire.state in NEVER_SENT or fire.order is None:  # no order can exist: hand it back
        if age < deps.unknown_grace_seconds:
            return "pending"
        reason = "the fire was never sent to the broker"
        record_release(fire.mission_id, fire.state, "never_sent", reason, deps)
        return "released"
    try:
        found = deps.broker.find_order(fire.login, fire.order.client_id)
    except (BrokerTimeout, BrokerError):
        return "pending"
    if found is not None and found.filled:
        record_fill(fire.mission_id, fire.order, found, fire.state, deps, reconciled="result_sync")
        return "filled"
    if found is None and age < deps.unknown_grace_seconds:
        return "pending"
    result = found or OrderResult(
        retcode=0,
        client_id=fire.order.client_id,
        retcode_text="the broker has no order for this fire; not executed",
    )
    record_rejection(fire.mission_id, result, fire.state, deps, reconciled="result_sync")
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
            deal = deals.get(p.client_id)
            if deal is not None and record_close(p, deal, deps):
                closed += 1
    return closed


def refresh_snapshots(deps: SyncDeps) -> int:
    """Every linked account read from the broker in batches (fan-out sizes from these)."""
    with deps.uow() as repos:
        logins = [t.broker_login for t in repos.traders.with_accounts() if t.broker_login]
    if not logins:
        return 0
    try:
        accounts = deps.broker.accounts(logins)
    except (BrokerTimeout, BrokerError) as err:
        log.warning("account snapshots not refreshed: %s", err)
        return 0
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.snapshots.save_many([AccountSnapshot.of(a, now) for a in accounts])
    return len(accounts)
