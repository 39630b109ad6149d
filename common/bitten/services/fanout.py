"""mission_fanout use case: one sized mission per eligible trader for a signal."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from decimal import Decimal
from uuid import UUID

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout, Side
from bitten.domain.instruments import NoConversionRate, NoQuote
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.shield import adjusted_multiplier, exposure_penalty, net_exposure
from bitten.domain.signal import TradeSignal
from bitten.domain.sizing import PositionTooSmall, position_size
from bitten.domain.tiers import TierViolation, check_can_open
from bitten.domain.trader import Trader
from bitten.services.deps import FanoutDeps
from bitten.services.game.plans import plan_risk_share
from bitten.services.signal_prices import SignalPrices

log = logs.get("fanout")


class SignalNotFound(LookupError):
    """The queue named a signal that is not in Postgres."""


# Why a trader gets no mission, most specific first (NoConversionRate is a NoQuote).
SKIP_REASON: tuple[tuple[type[Exception], str], ...] = (
    (TierViolation, "skipped_tier"),
    (PositionTooSmall, "skipped_size"),
    (NoConversionRate, "skipped_no_rate"),
    (NoQuote, "skipped_no_quote"),
    (BrokerTimeout, "broker_timeout"),
    (BrokerError, "skipped_broker"),
    (ValueError, "skipped_unsizable"),
)
SKIPPABLE = tuple(kind for kind, _ in SKIP_REASON)
ROUTINE_SKIPS = {"skipped_tier", "skipped_size"}


def build_mission(
    signal: TradeSignal,
    trader: Trader,
    deps: FanoutDeps,
    prices: SignalPrices,
    open_bets: list[tuple[str, Side]],
    risk_share: Decimal = Decimal(1),
) -> Mission:
    """Size one mission from the trader's real balance, at the signal's shield multiplier
    lowered for the trader's open trades on the same currencies (CITADEL's exposure check).
    Raises TierViolation/PositionTooSmall/NoQuote/BrokerError."""
    login = trader.broker_login or ""
    account = deps.broker.account_info(login)
    check_can_open(trader.tier, account.demo, len(open_bets))
    penalty, note = exposure_penalty(signal.pair, signal.direction, net_exposure(open_bets))
    multiplier = adjusted_multiplier(signal.shield_score, signal.risk_multiplier, penalty)
    sizing = position_size(
        account.balance,
        signal.stop_pips,
        prices.spec(login, signal.pair),
        multiplier,
        deps.risk_percent * risk_share,  # issue 12: the plan's share of the standard risk
        account.currency,
        prices.conversion_rates(login, account.currency),
    )
    sl, tp = signal.bracket(signal.entry)
    return Mission(
        id=uuid.uuid4(),
        signal_id=signal.id,
        trader_id=trader.id,
        status=MissionStatus.OPEN,
        balance=account.balance,
        risk_amount=sizing.risk_amount,
        lots=sizing.lots,
        risk_multiplier=multiplier,
        exposure_note=note,
        sl_price=sl,
        tp_price=tp,
        created_at=deps.clock.now(),
        expires_at=signal.expires_at,
    )


def fan_out_missions(signal_id: UUID, deps: FanoutDeps) -> Counter[str]:
    """Create and enqueue missions; returns counts of created/skipped reasons.

    A trader who cannot be sized is skipped (logged and traced) and the rest go on; broker
    timeouts re-raise at the end so the queue redelivers (the others are then already_created).
    """
    with deps.uow() as repos:
        signal = repos.signals.get(signal_id)
        traders = repos.traders.with_accounts()
    if signal is None:
        raise SignalNotFound(f"signal {signal_id} does not exist")
    prices = SignalPrices(deps.broker, signal.pair)
    outcome = Counter(_one_trader(signal, trader, deps, prices) for trader in traders)
    log.info("fanout %s", dict(outcome), extra={"signal_id": signal_id})
    if outcome["broker_timeout"]:
        raise BrokerTimeout(f"{outcome['broker_timeout']} trader(s) timed out at the broker")
    return outcome


def _skip_reason(why: Exception) -> str:
    return next(reason for kind, reason in SKIP_REASON if isinstance(why, kind))


def _one_trader(signal: TradeSignal, trader: Trader, deps: FanoutDeps, prices: SignalPrices) -> str:
    with deps.uow() as repos:
        open_bets = repos.traders.open_bets(trader.id)
        share = plan_risk_share(repos, trader.id, deps.clock.now())  # issue 12
    try:
        mission = build_mission(signal, trader, deps, prices, open_bets, share)
    except SKIPPABLE as why:
        reason = _skip_reason(why)
        _record_skip(signal, trader, deps, reason, why)
        return reason
    return _save(signal, trader, deps, mission)


def _record_skip(
    signal: TradeSignal, trader: Trader, deps: FanoutDeps, reason: str, why: Exception
) -> None:
    """One log line and one trace row saying why this trader got no mission."""
    level = logging.INFO if reason in ROUTINE_SKIPS else logging.WARNING
    extra = {"signal_id": signal.id, "trader_id": trader.id}
    log.log(level, "no mission (%s): %s", reason, why, extra=extra)
    with deps.uow() as repos:
        repos.trace.stamp(
            "mission_skipped",
            deps.clock.now(),
            signal_id=signal.id,
            trader_id=trader.id,
            reason=reason,
            message=str(why),
        )


def _save(signal: TradeSignal, trader: Trader, deps: FanoutDeps, mission: Mission) -> str:
    """Store the mission and enqueue its alert (a redelivered signal re-enqueues it)."""
    with deps.uow() as repos:
        created = repos.missions.add(mission)
        if created:
            repos.trace.stamp(
                "mission_created",
                mission.created_at,
                signal_id=signal.id,
                mission_id=mission.id,
                trader_id=trader.id,
                lots=str(mission.lots),
            )
        else:  # redelivered signal: re-enqueue the mission's alert (dispatch is idempotent)
            mission = repos.missions.for_signal_trader(signal.id, trader.id) or mission
        deps.alerts_queue.send({"mission_id": str(mission.id)})
    return "created" if created else "already_created"
