"""fire_execution use case: one-time lock, the FireRouter, then exactly one order per mission."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from bitten import logs, metrics
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.fire import FireState, client_id_for
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.signal import TradeSignal
from bitten.domain.state import TransitionLost
from bitten.domain.trader import Trader
from bitten.services.deps import FireExecDeps
from bitten.services.fire_router import Ending, FireRefused, Routed, route
from bitten.services.handback import record_refusal, record_release
from bitten.services.order_send import Sending, send_and_settle

log = logs.get("fire")
ENDING_STATUS = {Ending.REJECT: MissionStatus.REJECTED, Ending.EXPIRE: MissionStatus.EXPIRED}


COMMIT_WAITS_S = (0.01, 0.02, 0.05, 0.1, 0.2)


class FireNotRequested(Exception):
    """The queue named a mission whose FIRE was never accepted."""


class NotCommittedYet(FireNotRequested):
    """The tap's transaction sends the message just before it commits: not visible yet."""


def execute_fire(mission_id: UUID, request_id: str, deps: FireExecDeps, attempt: int = 1) -> str:
    """Returns what happened: filled | rejected | unknown | released | duplicate."""
    found = _requested_once_committed(mission_id, attempt, deps)
    if found is None or not deps.lock.claim(f"{mission_id}:{attempt}", request_id):
        return _duplicate(mission_id, deps)
    mission, signal, trader = found
    try:
        _claim(mission, attempt, trader, deps)
    except TransitionLost:  # reconciliation settled this attempt first
        return _duplicate(mission_id, deps)
    try:
        routed = route(mission, signal, trader, deps)
    except FireRefused as refused:
        return _refused(mission_id, refused, deps)
    except (BrokerTimeout, BrokerError) as err:  # nothing was sent yet
        reason = f"the broker could not be reached ({err})"
        record_release(mission_id, FireState.CLAIMED, "broker_down", reason, deps)
        return "released"
    sent_at = _mark_sent(mission, trader, routed, deps)
    outcome = send_and_settle(Sending(mission, signal, trader, routed.order), deps)
    if metrics.enabled():  # measured after the order went: the extra read is off its path
        _measure_latency(mission.id, sent_at, deps)
    return outcome


def _requested_once_committed(
    mission_id: UUID, attempt: int, deps: FireExecDeps
) -> tuple[Mission, TradeSignal, Trader] | None:
    """Wait a moment for the tap's commit (the message can arrive first) rather than fail
    the message and leave the trader waiting out the queue's visibility timeout."""
    for wait in COMMIT_WAITS_S:
        try:
            return _requested(mission_id, attempt, deps)
        except NotCommittedYet:
            deps.sleep(wait)
    return _requested(mission_id, attempt, deps)


def _requested(
    mission_id: UUID, attempt: int, deps: FireExecDeps
) -> tuple[Mission, TradeSignal, Trader] | None:
    """The mission with its signal and trader; None when this attempt is settled or stale."""
    with deps.uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None:
            raise FireNotRequested(f"mission {mission_id} does not exist")
        if mission.fire_attempts < attempt:
            raise NotCommittedYet(f"mission {mission_id} has no accepted FIRE request {attempt}")
        fire = repos.fires.get(mission_id)
        stale = attempt != mission.fire_attempts or (fire is not None and fire.attempt >= attempt)
        if stale or mission.status != MissionStatus.FIRE_REQUESTED:
            return None
        signal = repos.signals.get(mission.signal_id)
        trader = repos.traders.get(mission.trader_id)
    if signal is None or trader is None:
        raise FireNotRequested(f"mission {mission_id} has no signal or trader")
    return mission, signal, trader


def _claim(mission: Mission, attempt: int, trader: Trader, deps: FireExecDeps) -> None:
    with deps.uow() as repos:
        now = deps.clock.now()
        repos.fires.claim(mission.id, attempt, client_id_for(mission.id), now)
        repos.trace.stamp(
            "fire_locked",
            now,
            signal_id=mission.signal_id,
            mission_id=mission.id,
            trader_id=trader.id,
            attempt=attempt,
        )


def _mark_sent(mission: Mission, trader: Trader, routed: Routed, deps: FireExecDeps) -> datetime:
    """Committed BEFORE the broker call: from here a crash is reconciled, never resent; when."""
    order = routed.order
    with deps.uow() as repos:
        now = deps.clock.now()
        repos.fires.transition(mission.id, FireState.CLAIMED, FireState.SENT, now, order=order)
        ids = {"signal_id": mission.signal_id, "mission_id": mission.id, "trader_id": trader.id}
        if order.volume != routed.planned_lots:
            repos.trace.stamp(
                "fire_resized", now, **ids, planned=str(routed.planned_lots), lots=str(order.volume)
            )
        repos.trace.stamp(
            "order_sent",
            now,
            **ids,
            volume=str(order.volume),
            broker_ms=round(routed.broker_ms, 3),
        )
    return now


def _measure_latency(mission_id: UUID, sent_at: datetime, deps: FireExecDeps) -> None:
    """The alarm's FIRE latency: the trader's tap to the order leaving for the broker."""
    with deps.uow() as repos:
        tapped = [e.at for e in repos.trace.for_mission(mission_id) if e.hop == "fire_requested"]
    if tapped:
        metrics.fire_latency((sent_at - max(tapped)).total_seconds() * 1000)


def _refused(mission_id: UUID, refused: FireRefused, deps: FireExecDeps) -> str:
    log.info(
        "fire refused (%s): %s", refused.code, refused.reason, extra={"mission_id": mission_id}
    )
    if refused.ending is Ending.RELEASE:
        record_release(mission_id, FireState.CLAIMED, refused.code, refused.reason, deps)
        return "released"
    record_refusal(mission_id, ENDING_STATUS[refused.ending], refused.code, refused.reason, deps)
    return "rejected" if refused.ending is Ending.REJECT else "expired"


def _duplicate(mission_id: UUID, deps: FireExecDeps) -> str:
    with deps.uow() as repos:
        repos.trace.stamp(
            "duplicate_blocked", deps.clock.now(), mission_id=mission_id, stage="execution"
        )
    log.info("duplicate fire blocked", extra={"mission_id": mission_id})
    return "duplicate"
