"""alert_dispatch use case: the group alert once per signal, a personal alert per mission.

A whole queue batch is loaded in one transaction, paced and sent together (the notifier
reserves Telegram slots for all of it at once), and recorded in one transaction. An alert
that could only arrive after its mission expired is not sent; flood control beyond what the
notifier waits out puts the message back on the queue with a delay, never in the DLQ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from bitten import logs, metrics
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.outcome import CardState
from bitten.domain.pacing import Priority
from bitten.domain.signal import TradeSignal
from bitten.domain.trade import TraceStamp
from bitten.domain.trader import Trader
from bitten.ports import Delivery, Outgoing
from bitten.services.alert_text import card_buttons, card_text, group_text
from bitten.services.deps import AlertDeps
from bitten.services.game.plan_view import alert_line

log = logs.get("alerts")
REQUEUE_DELAY_S = 5


class MissionMissing(LookupError):
    """The queue named a mission that is not in Postgres."""


@dataclass(frozen=True)
class AlertJob:
    mission: Mission
    signal: TradeSignal
    trader: Trader
    plan_line: str  # issue 12: the shot this would be under the trader's plan


def dispatch_alert(mission_id: UUID, deps: AlertDeps) -> bool:
    """One mission's alerts; False if its personal alert had already gone out."""
    outcome = dispatch_alerts([mission_id], deps)[mission_id]
    if outcome == "missing":
        raise MissionMissing(f"mission {mission_id} does not exist")
    if outcome == "failed":
        raise RuntimeError(f"the alert of mission {mission_id} could not be sent")
    return outcome == "sent"


def dispatch_alerts(mission_ids: list[UUID], deps: AlertDeps) -> dict[UUID, str]:
    """Send what is not sent yet. Per mission: sent, already_sent, late, blocked, requeued,
    failed (the queue should retry it) or missing (no such mission)."""
    jobs, outcome = _load(mission_ids, deps)
    for signal in {j.signal.id: j.signal for j in jobs}.values():
        try:
            _send_group(signal, deps)
        except Exception:  # noqa: BLE001 - released: the signal's next batch retries it
            log.exception("group alert not sent", extra={"signal_id": signal.id})
    still_open = {j.mission.id: _still_open(j, deps) for j in jobs}
    fresh = [j for j in jobs if still_open[j.mission.id]]
    for job in jobs:
        if not still_open[job.mission.id]:
            outcome[job.mission.id] = _skip(job, "expired", deps)
    deliveries = deps.notifier.deliver([_personal(j, deps) for j in fresh])
    outcome |= _record(fresh, deliveries, deps)
    return outcome


def _load(ids: list[UUID], deps: AlertDeps) -> tuple[list[AlertJob], dict[UUID, str]]:
    with deps.uow() as repos:
        missions = repos.missions.get_many(ids)
        signals = repos.signals.get_many(list({m.signal_id for m in missions.values()}))
        traders = repos.traders.get_many(list({m.trader_id for m in missions.values()}))
        done = repos.alerts.sent_among(ids)
        now = deps.clock.now()
        plans = {  # issue 12: the plan line under each alert
            i: alert_line(repos, m.trader_id, signals[m.signal_id], now)
            for i, m in missions.items()
            if i not in done and m.signal_id in signals
        }
    outcome = {i: "missing" for i in ids if i not in missions}
    outcome |= {i: "already_sent" for i in done}
    jobs = [
        AlertJob(m, signals[m.signal_id], traders[m.trader_id], plans[i])
        for i, m in missions.items()
        if i not in done and m.signal_id in signals and m.trader_id in traders
    ]
    return jobs, outcome


def _still_open(job: AlertJob, deps: AlertDeps) -> bool:
    return job.mission.status == MissionStatus.OPEN and not job.mission.is_expired(deps.clock.now())


def _personal(job: AlertJob, deps: AlertDeps) -> Outgoing:
    m, now = job.mission, deps.clock.now()
    card = card_text(CardState.OPEN, job.signal, m, None, now, job.trader.account_currency)
    return Outgoing(
        chat_id=job.trader.telegram_id,
        text=card + job.plan_line,
        buttons=card_buttons(CardState.OPEN, m, deps.hud_base_url),
        priority=Priority.ALERT,
        paid_broadcast=deps.paid_broadcast,
        max_delay=(m.expires_at - now).total_seconds(),
        html=True,
    )


def _record(jobs: list[AlertJob], deliveries: list[Delivery], deps: AlertDeps) -> dict[UUID, str]:
    outcome: dict[UUID, str] = {}
    now = deps.clock.now()
    sent = [(j, d) for j, d in zip(jobs, deliveries, strict=True) if d.message_id is not None]
    with deps.uow() as repos:
        repos.alerts.record_many(
            [(j.mission.id, j.trader.telegram_id, d.message_id or 0) for j, d in sent], now
        )
        paid = {"paid": True} if deps.paid_broadcast else {}  # the Throne counts paid sends
        repos.trace.stamp_many([_stamp(j, now, message_id=d.message_id, **paid) for j, d in sent])
        for job, delivery in zip(jobs, deliveries, strict=True):
            m = job.mission
            if delivery.message_id is not None:
                outcome[m.id] = "sent"
            elif delivery.status in ("late", "blocked"):
                repos.alerts.record_skipped(m.id, job.trader.telegram_id, delivery.status, now)
                repos.trace.stamp(
                    "alert_skipped",
                    now,
                    signal_id=m.signal_id,
                    mission_id=m.id,
                    trader_id=m.trader_id,
                    reason=delivery.status,
                )
                outcome[m.id] = delivery.status
            else:
                outcome[m.id] = _retry(m.id, delivery, deps)
                repos.trace.stamp(  # 429s and busy lanes, counted on the Throne
                    f"alert_{outcome[m.id]}",
                    now,
                    signal_id=m.signal_id,
                    mission_id=m.id,
                    trader_id=m.trader_id,
                    status=delivery.status,
                )
    metrics.alert_lag([(now - j.signal.created_at).total_seconds() for j, _ in sent])
    return outcome


def _stamp(job: AlertJob, now: datetime, **detail: object) -> TraceStamp:
    m = job.mission
    return TraceStamp(
        hop="alert_sent",
        at=now,
        signal_id=m.signal_id,
        mission_id=m.id,
        trader_id=m.trader_id,
        detail=detail,
    )


def _retry(mission_id: UUID, sent: Delivery, deps: AlertDeps) -> str:
    """Flood control or busy lanes: back on the queue with a delay (no DLQ); else fail."""
    log.warning(
        "alert not sent (%s): %s", sent.status, sent.detail, extra={"mission_id": mission_id}
    )
    if sent.status in ("flood", "busy") and deps.requeue is not None:
        deps.requeue.send({"mission_id": str(mission_id)}, delay_seconds=REQUEUE_DELAY_S)
        return "requeued"
    return "failed"


def _skip(job: AlertJob, reason: str, deps: AlertDeps) -> str:
    now, m = deps.clock.now(), job.mission
    with deps.uow() as repos:
        repos.alerts.record_skipped(m.id, job.trader.telegram_id, reason, now)
        repos.trace.stamp(
            "alert_skipped",
            now,
            signal_id=m.signal_id,
            mission_id=m.id,
            trader_id=m.trader_id,
            reason=reason,
        )
    return reason


def _send_group(signal: TradeSignal, deps: AlertDeps) -> None:
    """Once per signal: claimed in a short transaction, sent outside it (no lock is held while
    Telegram's lanes make it wait), then recorded; a failed send gives the claim back."""
    with deps.uow() as repos:
        if not repos.alerts.claim_group(signal.id, deps.group_chat_id, deps.clock.now()):
            return
    left = (signal.expires_at - deps.clock.now()).total_seconds()
    message = Outgoing(
        chat_id=deps.group_chat_id,
        text=group_text(signal),
        priority=Priority.ALERT,
        max_delay=max(left, 0.0),
        html=True,
    )
    (sent,) = deps.notifier.deliver([message])
    delivered = sent.status in ("sent", "late")
    with deps.uow() as repos:
        if delivered:
            repos.alerts.set_group_message(signal.id, sent.message_id or -1)
        else:
            repos.alerts.release_group(signal.id)
    if not delivered:
        raise RuntimeError(f"group alert not sent ({sent.status}): {sent.detail}")
