"""mission_fanout use case: one sized mission per eligible trader for a signal."""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal
from uuid import UUID

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.instruments import NoQuote, SymbolSpec, split_symbol
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.shield import adjusted_multiplier, exposure_penalty, net_exposure
from bitten.domain.signal import TradeSignal
from bitten.domain.sizing import PositionTooSmall, position_size
from bitten.domain.tiers import TierViolation, check_can_open
from bitten.domain.trader import Trader
from bitten.services.deps import FanoutDeps

log = logs.get("fanout")


class SignalNotFound(LookupError):
    """The queue named a signal that is not in Postgres."""


SKIP_REASON = {
    TierViolation: "skipped_tier",
    PositionTooSmall: "skipped_size",
    NoQuote: "skipped_no_quote",
}


def conversion_rates(signal: TradeSignal, account: str, spec_of) -> dict[str, Decimal]:
    """Mid prices a cross needs to value its pips in the account currency (EURJPY -> USDJPY)."""
    base, quote = split_symbol(signal.pair)
    if account in (base, quote):
        return {}
    for symbol in (f"{quote}{account}", f"{account}{quote}"):
        try:
            spec = spec_of(symbol)
        except Exception:  # noqa: BLE001 - broker may not list this orientation
            continue
        if spec.bid > 0 and spec.ask > 0:  # MT5 reports an unquoted symbol with zero prices
            return {symbol: (spec.bid + spec.ask) / 2}
    return {}


def build_mission(
    signal: TradeSignal,
    trader: Trader,
    deps: FanoutDeps,
    spec: SymbolSpec,
    open_bets: list[tuple[str, str]],
    spec_of,
) -> Mission:
    """Size one mission from the trader's real balance, at the signal's shield multiplier
    lowered for the trader's open trades on the same currencies (CITADEL's exposure check).
    Raises TierViolation/PositionTooSmall."""
    account = deps.broker.account_info(trader.broker_login or "")
    check_can_open(trader.tier, account.demo, len(open_bets))
    penalty, note = exposure_penalty(signal.pair, signal.direction, net_exposure(open_bets))
    multiplier = adjusted_multiplier(signal.shield_score, signal.risk_multiplier, penalty)
    rates = conversion_rates(signal, account.currency, spec_of)
    sizing = position_size(
        account.balance,
        signal.stop_pips,
        spec,
        multiplier,
        deps.risk_percent,
        account.currency,
        rates,
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
    """Create and enqueue missions; returns counts of created/skipped reasons."""
    with deps.uow() as repos:
        signal = repos.signals.get(signal_id)
        traders = repos.traders.with_accounts()
    if signal is None:
        raise SignalNotFound(f"signal {signal_id} does not exist")
    specs: dict[str, SymbolSpec] = {}
    outcome: Counter[str] = Counter()
    for trader in traders:

        def spec_of(symbol: str, login: str = trader.broker_login or "") -> SymbolSpec:
            if symbol not in specs:
                specs[symbol] = deps.broker.symbol_spec(login, symbol)
            return specs[symbol]

        outcome[_one_trader(signal, trader, deps, spec_of)] += 1
    log.info("fanout %s", dict(outcome), extra={"signal_id": signal_id})
    if outcome["broker_timeout"]:  # redelivery retries them; the others are already_created
        raise BrokerTimeout(f"{outcome['broker_timeout']} trader(s) timed out at the broker")
    return outcome


def _one_trader(signal: TradeSignal, trader: Trader, deps: FanoutDeps, spec_of) -> str:
    with deps.uow() as repos:
        open_bets = repos.traders.open_bets(trader.id)
    try:
        mission = build_mission(signal, trader, deps, spec_of(signal.pair), open_bets, spec_of)
    except (TierViolation, PositionTooSmall, NoQuote) as why:
        log.info("skip trader: %s", why, extra={"signal_id": signal.id, "trader_id": trader.id})
        return SKIP_REASON[type(why)]
    except (BrokerError, BrokerTimeout) as why:  # one trader's account must not block the rest
        log.warning("broker: %s", why, extra={"signal_id": signal.id, "trader_id": trader.id})
        return "broker_timeout" if isinstance(why, BrokerTimeout) else "skipped_broker"
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
            mission = repos.missions.for_signal_trader(signal.id, trader.id)
        deps.alerts_queue.send({"mission_id": str(mission.id)})
    return "created" if created else "already_created"
