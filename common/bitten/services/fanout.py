"""mission_fanout use case: one sized mission per eligible trader for a signal, sized from
account snapshots (no broker call per trader), written and enqueued in batches."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from bitten import logs
from bitten.domain.broker import AccountSnapshot, BrokerError, BrokerTimeout, Side
from bitten.domain.instruments import NoConversionRate, NoQuote
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.shield import adjusted_multiplier, exposure_penalty, net_exposure
from bitten.domain.signal import TradeSignal
from bitten.domain.sizing import PositionTooSmall, position_size
from bitten.domain.tiers import TierViolation, check_can_open
from bitten.domain.trade import TraceStamp
from bitten.domain.trader import Trader
from bitten.services.deps import FanoutDeps
from bitten.services.game.plans import plan_risk_shares
from bitten.services.signal_prices import SignalPrices

log = logs.get("fanout")


class SignalNotFound(LookupError):
    """The queue named a signal that is not in Postgres."""


class NoSnapshot(BrokerError):
    """The broker knows no account with this login."""


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


@dataclass
class Plan:
    """A fan-out in memory: the missions to write and why the others were skipped."""

    missions: list[Mission] = field(default_factory=list)
    skips: list[tuple[Trader, str, Exception]] = field(default_factory=list)


def build_mission(
    signal: TradeSignal,
    trader: Trader,
    account: AccountSnapshot,
    deps: FanoutDeps,
    prices: SignalPrices,
    open_bets: list[tuple[str, Side]],
    risk_share: Decimal,
) -> Mission:
    """Size one mission from the trader's account snapshot, at the signal's shield multiplier
    lowered for the trader's open trades on the same currencies (CITADEL's exposure check).
    Raises TierViolation/PositionTooSmall/NoQuote/BrokerError."""
    check_can_open(trader.tier, account.demo, len(open_bets))
    penalty, note = exposure_penalty(signal.pair, signal.direction, net_exposure(open_bets))
    multiplier = adjusted_multiplier(signal.risk_multiplier, penalty)
    sizing = position_size(
        min(account.balance, account.equity),
        signal.stop_pips,
        prices.spec(account.login, signal.pair),
        multiplier,
        deps.risk_percent * risk_share,  # issue 12: the plan's share of the standard risk
        account.currency,
        pip_value=prices.pip_value(account.login, account.currency),
    )
    sl, tp = signal.bracket(signal.entry)
    return Mission.model_construct(  # every field typed above: no need to validate 5,000 times
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
        status_reason=None,
        fire_attempts=0,
    )


def fan_out_missions(signal_id: UUID, deps: FanoutDeps) -> Counter[str]:
    """Create and enqueue missions; returns counts of created/skipped reasons.

    A trader who cannot be sized is skipped (logged and traced) and the rest go on; broker
    timeouts re-raise at the end so the queue redelivers (the others are then already_created).
    """
    with deps.uow() as repos:
        signal = repos.signals.get(signal_id)
        traders = repos.traders.with_accounts()
        bets = repos.traders.open_bets_all()
        shares = plan_risk_shares(repos, [t.id for t in traders], deps.clock.now())  # issue 12
    if signal is None:
        raise SignalNotFound(f"signal {signal_id} does not exist")
    accounts = account_snapshots(traders, deps)
    plan = plan_missions(signal, traders, accounts, bets, deps, shares)
    outcome = _write(signal, plan, deps)
    log.info("fanout %s", dict(outcome), extra={"signal_id": signal_id})
    if outcome["broker_timeout"]:
        raise BrokerTimeout(f"{outcome['broker_timeout']} trader(s) timed out at the broker")
    return outcome


def account_snapshots(
    traders: list[Trader], deps: FanoutDeps
) -> dict[str, AccountSnapshot | Exception]:
    """Each login's snapshot; missing or stale ones are read from the broker in batches
    (and kept). A failed batch read leaves its logins with the error."""
    logins = [t.broker_login for t in traders if t.broker_login]
    now = deps.clock.now()
    with deps.uow() as repos:
        stored = repos.snapshots.for_logins(logins)
    fresh_after = now - timedelta(seconds=deps.snapshot_max_age_s)
    found: dict[str, AccountSnapshot | Exception] = {
        k: v for k, v in stored.items() if v.refreshed_at >= fresh_after
    }
    stale = [x for x in logins if x not in found]
    if stale:
        found.update(_read_accounts(stale, deps))
    return found


def _read_accounts(logins: list[str], deps: FanoutDeps) -> dict[str, AccountSnapshot | Exception]:
    try:
        read = deps.broker.accounts(logins)
    except (BrokerTimeout, BrokerError) as err:
        return dict.fromkeys(logins, err)
    now = deps.clock.now()
    snapshots = [AccountSnapshot.of(a, now) for a in read]
    with deps.uow() as repos:
        repos.snapshots.save_many(snapshots)
    found: dict[str, AccountSnapshot | Exception] = {s.login: s for s in snapshots}
    for login in set(logins) - found.keys():
        found[login] = NoSnapshot(f"the broker knows no account {login}")
    return found


def plan_missions(
    signal: TradeSignal,
    traders: list[Trader],
    accounts: dict[str, AccountSnapshot | Exception],
    bets: dict[UUID, list[tuple[str, Side]]],
    deps: FanoutDeps,
    shares: dict[UUID, Decimal],
) -> Plan:
    """Size every trader in memory (the broker is asked once per signal for prices)."""
    prices, plan = SignalPrices(deps.broker, signal.pair), Plan()
    for trader in traders:
        account = accounts.get(trader.broker_login or "")
        try:
            if not isinstance(account, AccountSnapshot):
                raise account or NoSnapshot(f"no account snapshot for {trader.broker_login}")
            open_bets, share = bets.get(trader.id, []), shares[trader.id]
            mission = build_mission(signal, trader, account, deps, prices, open_bets, share)
        except SKIPPABLE as why:
            plan.skips.append((trader, _skip_reason(why), why))
            continue
        plan.missions.append(mission)
    return plan


def _skip_reason(why: Exception) -> str:
    return next(reason for kind, reason in SKIP_REASON if isinstance(why, kind))


def _write(signal: TradeSignal, plan: Plan, deps: FanoutDeps) -> Counter[str]:
    """One transaction for every mission and trace row, then the alerts 10 to a send (a
    redelivered signal re-enqueues the alerts of the missions it already made)."""
    now = deps.clock.now()
    with deps.uow() as repos:
        created = repos.missions.add_many(plan.missions)
        ids = repos.missions.ids_for_signal(signal.id)
        repos.trace.stamp_many(_stamps(signal, plan, created, now))
    for trader, reason, why in plan.skips:
        level = logging.INFO if reason in ROUTINE_SKIPS else logging.WARNING
        extra = {"signal_id": signal.id, "trader_id": trader.id}
        log.log(level, "no mission (%s): %s", reason, why, extra=extra)
    planned = [m.trader_id for m in plan.missions]
    deps.alerts_queue.send_batch([{"mission_id": str(ids[t])} for t in planned if t in ids])
    outcome = Counter(reason for _, reason, _ in plan.skips)
    outcome["created"] = len(created)
    outcome["already_created"] = len(plan.missions) - len(created)
    return +outcome


def _stamps(signal: TradeSignal, plan: Plan, created: set[UUID], now: datetime) -> list[TraceStamp]:
    made = [
        TraceStamp.model_construct(
            hop="mission_created",
            at=m.created_at,
            signal_id=signal.id,
            mission_id=m.id,
            trader_id=m.trader_id,
            detail={"lots": str(m.lots)},
        )
        for m in plan.missions
        if m.id in created
    ]
    skipped = [
        TraceStamp(
            hop="mission_skipped",
            at=now,
            signal_id=signal.id,
            trader_id=t.id,
            detail={"reason": reason, "message": str(why)},
        )
        for t, reason, why in plan.skips
    ]
    return made + skipped
