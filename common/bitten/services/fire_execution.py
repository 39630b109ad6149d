"""fire_execution use case: one-time lock, then exactly one order per mission at the broker."""

from __future__ import annotations

from uuid import UUID

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout, OrderRequest, OrderResult
from bitten.domain.mission import MissionStatus
from bitten.services.deps import FireExecDeps
from bitten.services.positions import record_fill, record_rejection

log = logs.get("fire")


DONE = (MissionStatus.FIRED, MissionStatus.REJECTED)


class FireNotRequested(Exception):
    """The queue named a mission whose FIRE was never accepted."""


def execute_fire(mission_id: UUID, request_id: str, deps: FireExecDeps) -> str:
    """Returns the fire state reached: filled | rejected | unknown | duplicate."""
    with deps.uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None:
            raise FireNotRequested(f"mission {mission_id} does not exist")
        if repos.fires.state(mission_id) or mission.status in DONE:
            return _duplicate(mission_id, deps)
        if mission.status != MissionStatus.FIRE_REQUESTED:
            raise FireNotRequested(f"mission {mission_id} has no accepted FIRE request")
        signal = repos.signals.get(mission.signal_id)
        trader = repos.traders.get(mission.trader_id)
    if not deps.lock.claim(str(mission_id), request_id):
        return _duplicate(mission_id, deps)
    with deps.uow() as repos:
        repos.fires.claim(mission_id, deps.clock.now())
    spec = deps.broker.symbol_spec(trader.broker_login, signal.pair)
    entry = spec.ask if signal.direction == "buy" else spec.bid
    sl, tp = signal.bracket(entry)
    digits = spec.pip / 10
    order = OrderRequest(
        client_id=str(mission_id),
        symbol=signal.pair,
        side=signal.direction,
        volume=mission.lots,
        sl=sl.quantize(digits),
        tp=tp.quantize(digits),
    )
    with deps.uow() as repos:  # committed BEFORE the call: a crash now is reconciled, not retried
        repos.fires.set_state(mission_id, "sent", deps.clock.now())
        repos.trace.stamp(
            "order_sent",
            deps.clock.now(),
            signal_id=signal.id,
            mission_id=mission_id,
            trader_id=trader.id,
            volume=str(order.volume),
        )
    return _send(trader, order, deps)


def _send(trader, order: OrderRequest, deps: FireExecDeps) -> str:
    mission_id = UUID(order.client_id)
    try:
        result = deps.broker.send_order(trader.broker_login, order)
    except BrokerTimeout:
        return _unknown(mission_id, trader, order, deps)
    except BrokerError as err:
        result = OrderResult(retcode=0, retcode_text=str(err), client_id=order.client_id)
    if result.filled:
        record_fill(mission_id, order, result, deps)
        return "filled"
    record_rejection(mission_id, result, deps)
    return "rejected"


def _unknown(mission_id: UUID, trader, order: OrderRequest, deps: FireExecDeps) -> str:
    """Timeout: the order may or may not exist. Ask the broker by client id; never resend."""
    with deps.uow() as repos:
        repos.fires.set_state(mission_id, "unknown", deps.clock.now(), message="broker timeout")
        repos.trace.stamp(
            "order_unknown", deps.clock.now(), mission_id=mission_id, trader_id=trader.id
        )
    try:
        found = deps.broker.find_order(trader.broker_login, order.client_id)
    except (BrokerTimeout, BrokerError):
        return "unknown"  # result_sync reconciles later
    if found is None:
        return "unknown"  # may still arrive; result_sync decides after a grace period
    if found.filled:
        record_fill(mission_id, order, found, deps)
        return "filled"
    record_rejection(mission_id, found, deps)
    return "rejected"


def _duplicate(mission_id: UUID, deps: FireExecDeps) -> str:
    with deps.uow() as repos:
        repos.trace.stamp(
            "duplicate_blocked", deps.clock.now(), mission_id=mission_id, stage="execution"
        )
    log.info("duplicate fire blocked by lock", extra={"mission_id": mission_id})
    return "duplicate"
