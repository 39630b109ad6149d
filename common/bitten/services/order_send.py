"""Sending a fire's order: safe re-sends only where nothing executed, then the outcome."""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID

from bitten import logs
from bitten.domain.broker import (
    BrokerBusy,
    BrokerError,
    BrokerTimeout,
    BrokerUnavailable,
    OrderRequest,
    OrderResult,
)
from bitten.domain.fire import FireState, market_order
from bitten.domain.mission import Mission
from bitten.domain.retcodes import Outcome
from bitten.domain.signal import TradeSignal
from bitten.domain.state import TransitionLost
from bitten.domain.trader import Trader
from bitten.services.deps import FireExecDeps
from bitten.services.handback import record_release
from bitten.services.positions import record_fill, record_rejection

log = logs.get("fire")


@dataclass
class Sending:
    mission: Mission
    signal: TradeSignal
    trader: Trader
    order: OrderRequest
    broker_ms: float = 0.0  # time spent waiting on the broker for the send (and re-sends)

    @property
    def login(self) -> str:
        return self.trader.broker_login or ""


def send_and_settle(s: Sending, deps: FireExecDeps) -> str:
    """Send (re-sending where safe) and record what the broker said."""
    try:
        result = send_with_retries(s, deps)
    except BrokerTimeout:
        return _unknown(s, deps)
    except BrokerUnavailable as err:  # the gateway's word: nothing was sent
        reason = f"the broker was unavailable ({err})"
        record_release(s.mission.id, FireState.SENT, "broker_down", reason, deps)
        return "released"
    except BrokerError as err:  # a request that never became a trade request
        result = OrderResult(retcode=0, retcode_text=str(err), client_id=s.order.client_id)
    try:
        return settle(s, result, FireState.SENT, deps)
    except TransitionLost:  # a callback or result_sync recorded the outcome first
        return "duplicate"


def settle(s: Sending, result: OrderResult, expected: FireState, deps: FireExecDeps) -> str:
    """Record one broker answer by what its return code means."""
    outcome = result.outcome
    if outcome is Outcome.FILLED:
        record_fill(s.mission.id, s.order, result, expected, deps, broker_ms=s.broker_ms)
        return "filled"
    if outcome is Outcome.UNKNOWN:
        return _unknown(s, deps)
    if outcome in (Outcome.RETRY, Outcome.NOT_SENT):
        reason = f"{result.retcode_text} (nothing was executed)"
        record_release(s.mission.id, expected, f"retcode_{result.retcode}", reason, deps)
        return "released"
    record_rejection(s.mission.id, result, expected, deps)
    return "rejected"


def send_with_retries(s: Sending, deps: FireExecDeps) -> OrderResult:
    """The broker's answer; re-sent (re-priced) after a requote, price change, off quotes or
    429, within the retry policy. Never after an unknown outcome (that raises)."""
    waited, policy = 0.0, deps.retry
    for resend in range(policy.max_resends + 1):
        try:
            result = _timed_send(s, deps)
        except BrokerBusy as busy:
            delay = busy.retry_after
            if resend == policy.max_resends or waited + delay > policy.max_wait_s:
                raise
            why = "429 too many requests"
        else:
            delay = policy.delay(resend)
            last = resend == policy.max_resends or waited + delay > policy.max_wait_s
            if result.outcome is not Outcome.RETRY or last:
                return result
            why = result.retcode_text
        _before_resend(s, why, delay, deps)
        waited += delay
    raise AssertionError("unreachable: the loop returns or raises")


def _timed_send(s: Sending, deps: FireExecDeps) -> OrderResult:
    started = time.perf_counter()
    try:
        return deps.broker.send_order(s.login, s.order)
    finally:
        s.broker_ms += (time.perf_counter() - started) * 1000


def _before_resend(s: Sending, why: str, delay: float, deps: FireExecDeps) -> None:
    """Wait, re-price the order at the new quote (same client id), and keep what is re-sent."""
    log.info("re-sending in %.2fs: %s", delay, why, extra={"mission_id": s.mission.id})
    deps.sleep(delay)
    spec = deps.broker.symbol_spec(s.login, s.signal.pair)
    s.order = market_order(s.mission, s.signal, spec, s.order.volume)
    with deps.uow() as repos:
        now = deps.clock.now()
        repos.fires.resend(s.mission.id, s.order, now)
        repos.trace.stamp(
            "order_retry", now, mission_id=s.mission.id, trader_id=s.trader.id, why=why
        )


def _unknown(s: Sending, deps: FireExecDeps) -> str:
    """The order may or may not exist: ask the broker by client id; never resend."""
    mission_id: UUID = s.mission.id
    with deps.uow() as repos:
        now = deps.clock.now()
        repos.fires.transition(
            mission_id, FireState.SENT, FireState.UNKNOWN, now, message="outcome unknown"
        )
        repos.trace.stamp("order_unknown", now, mission_id=mission_id, trader_id=s.trader.id)
    try:
        found = deps.broker.find_order(s.login, s.order.client_id)
    except (BrokerTimeout, BrokerError):
        return "unknown"  # result_sync reconciles later
    if found is None or not found.filled:
        return "unknown"  # may still arrive; result_sync decides after a grace period
    try:
        record_fill(
            mission_id, s.order, found, FireState.UNKNOWN, deps, reconciled="fire_execution"
        )
    except TransitionLost:
        return "duplicate"
    return "filled"
