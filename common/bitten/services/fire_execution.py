"""fire_execution use case: one-time lock, then exactly one order per mission at the broker."""

from __future__ import annotations

from uuid import UUID

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout, OrderRequest, OrderResult
from bitten.domain.fire import FireState, market_order
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.signal import TradeSignal
from bitten.domain.state import TransitionLost
from bitten.domain.trader import Trader
from bitten.services.deps import FireExecDeps
from bitten.services.positions import record_fill, record_rejection

log = logs.get("fire")
SETTLED = (MissionStatus.FIRED, MissionStatus.REJECTED)


class FireNotRequested(Exception):
    """The queue named a mission whose FIRE was never accepted."""


def execute_fire(mission_id: UUID, request_id: str, deps: FireExecDeps) -> str:
    """Returns the fire state reached: filled | rejected | unknown | duplicate."""
    found = _requested(mission_id, deps)
    if found is None or not deps.lock.claim(str(mission_id), request_id):
        return _duplicate(mission_id, deps)
    mission, signal, trader = found
    try:
        with deps.uow() as repos:
            repos.fires.claim(mission_id, deps.clock.now())
    except TransitionLost:  # reconciliation settled this mission first
        return _duplicate(mission_id, deps)
    spec = deps.broker.symbol_spec(trader.broker_login or "", signal.pair)
    order = market_order(mission, signal, spec)
    with deps.uow() as repos:  # committed BEFORE the call: a crash now is reconciled, not retried
        now = deps.clock.now()
        repos.fires.transition(mission_id, FireState.CLAIMED, FireState.SENT, now, order=order)
        repos.trace.stamp(
            "order_sent",
            now,
            signal_id=signal.id,
            mission_id=mission_id,
            trader_id=trader.id,
            volume=str(order.volume),
        )
    return _send(trader, order, deps)


def _requested(mission_id: UUID, deps: FireExecDeps) -> tuple[Mission, TradeSignal, Trader] | None:
    """The mission with its signal and trader; None when it already has a fire."""
    with deps.uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None:
            raise FireNotRequested(f"mission {mission_id} does not exist")
        if repos.fires.get(mission_id) or mission.status in SETTLED:
            return None
        if mission.status != MissionStatus.FIRE_REQUESTED:
            raise FireNotRequested(f"mission {mission_id} has no accepted FIRE request")
        signal = repos.signals.get(mission.signal_id)
        trader = repos.traders.get(mission.trader_id)
    if signal is None or trader is None:
        raise FireNotRequested(f"mission {mission_id} has no signal or trader")
    return mission, signal, trader


def _send(trader: Trader, order: OrderRequest, deps: FireExecDeps) -> str:
    mission_id = UUID(order.client_id)
    try:
        result = deps.broker.send_order(trader.broker_login or "", order)
    except BrokerTimeout:
        return _unknown(mission_id, trader, order, deps)
    except BrokerError as err:
        result = OrderResult(retcode=0, retcode_text=str(err), client_id=order.client_id)
    return _settle(mission_id, order, result, FireState.SENT, deps)


def _unknown(mission_id: UUID, trader: Trader, order: OrderRequest, deps: FireExecDeps) -> str:
    """Timeout: the order may or may not exist. Ask the broker by client id; never resend."""
    with deps.uow() as repos:
        now = deps.clock.now()
        repos.fires.transition(
            mission_id, FireState.SENT, FireState.UNKNOWN, now, message="broker timeout"
        )
        repos.trace.stamp("order_unknown", now, mission_id=mission_id, trader_id=trader.id)
    try:
        found = deps.broker.find_order(trader.broker_login or "", order.client_id)
    except (BrokerTimeout, BrokerError):
        return "unknown"  # result_sync reconciles later
    if found is None:
        return "unknown"  # may still arrive; result_sync decides after a grace period
    return _settle(mission_id, order, found, FireState.UNKNOWN, deps)


def _settle(
    mission_id: UUID,
    order: OrderRequest,
    result: OrderResult,
    expected: FireState,
    deps: FireExecDeps,
) -> str:
    try:
        if result.filled:
            record_fill(mission_id, order, result, expected, deps)
            return "filled"
        record_rejection(mission_id, result, expected, deps)
        return "rejected"
    except TransitionLost:  # result_sync's reconciliation recorded the outcome first
        return "duplicate"


def _duplicate(mission_id: UUID, deps: FireExecDeps) -> str:
    with deps.uow() as repos:
        repos.trace.stamp(
            "duplicate_blocked", deps.clock.now(), mission_id=mission_id, stage="execution"
        )
    log.info("duplicate fire blocked", extra={"mission_id": mission_id})
    return "duplicate"
