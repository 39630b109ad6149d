"""The FireRouter: every check between a FIRE tap and the order, in one place.

At the tap (`check_request`, Postgres only, so the trader gets an instant answer): the
mission is theirs, not fired, not expired, the tier allows one more trade, firing is not
paused. At execution (`route`, with the live broker, after the one-time lock): firing still
not paused, the trader's terminal online, PRESS PASS on a demo account, the price has not run
away, and the lots re-sized from the live balance and free margin (never above the mission's).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from bitten.domain.broker import AccountInfo, OrderRequest
from bitten.domain.fire import market_order
from bitten.domain.instruments import NoQuote, SymbolSpec, quote_to_account_rate
from bitten.domain.mission import Mission, MissionNotFound
from bitten.domain.signal import TradeSignal
from bitten.domain.sizing import PositionTooSmall, lots_for_margin, position_size
from bitten.domain.switches import FiringPaused, Switch, SwitchState
from bitten.domain.tiers import Tier, check_can_open
from bitten.domain.trader import Trader
from bitten.services.deps import FireExecDeps
from bitten.services.game.plans import plan_risk_shares
from bitten.services.signal_prices import SignalPrices


class Ending(StrEnum):
    RELEASE = "release"  # nothing sent; the mission is open again
    REJECT = "reject"  # the mission ends rejected
    EXPIRE = "expire"  # the mission ends expired (the price ran away)


class FireRefused(Exception):
    """The router refused before anything was sent; `code` names the check."""

    def __init__(self, code: str, reason: str, ending: Ending) -> None:
        super().__init__(reason)
        self.code, self.reason, self.ending = code, reason, ending


@dataclass(frozen=True)
class Routed:
    order: OrderRequest
    planned_lots: Decimal  # what the alert showed
    broker_ms: float  # time spent waiting on the broker while routing


def check_request(
    mission: Mission | None,
    trader_id: UUID,
    trader: Trader | None,
    open_trades: int,
    firing: SwitchState,
    now: datetime,
) -> Mission:
    """The tap's checks; raises MissionNotFound / MissionAlreadyFired / MissionExpired /
    TierViolation / FiringPaused, else returns the mission."""
    if mission is None or trader is None or mission.trader_id != trader_id:
        raise MissionNotFound("mission not found")
    mission.check_fireable(now)
    check_can_open(trader.tier, trader.demo_account, open_trades)
    refusal = firing.refusal()
    if refusal is not None:
        raise FiringPaused(refusal)
    return mission


def route(mission: Mission, signal: TradeSignal, trader: Trader, deps: FireExecDeps) -> Routed:
    """The order to send now, or FireRefused (BrokerError when the broker cannot be asked)."""
    with deps.uow() as repos:
        firing = repos.switches.get(Switch.FIRING)
        # issue 12: the live re-size risks the plan's share, as the fan-out sized the mission
        share = plan_risk_shares(repos, [trader.id], deps.clock.now())[trader.id]
    if firing.paused:
        raise FireRefused("paused", firing.refusal() or "", Ending.RELEASE)
    started, login = time.perf_counter(), trader.broker_login or ""
    _terminal_online(login, deps)
    account = deps.broker.account_info(login)
    if trader.tier is Tier.PRESS_PASS and not account.demo:
        raise FireRefused("tier", "PRESS PASS trades on a demo account only", Ending.REJECT)
    prices = SignalPrices(deps.broker, signal.pair)
    spec = prices.spec(login, signal.pair)
    risk = deps.limits.risk_percent * share
    lots = _live_lots(mission, signal, account, spec, prices, risk, deps)
    order = market_order(mission, signal, spec, lots)
    return Routed(order, mission.lots, (time.perf_counter() - started) * 1000)


def _terminal_online(login: str, deps: FireExecDeps) -> None:
    status = deps.broker.terminal_status(login)
    offline = status.offline_reason(deps.clock.now(), deps.limits.terminal_max_age_s)
    if offline is not None:
        raise FireRefused("terminal_offline", f"{offline}; try again", Ending.RELEASE)


def _live_lots(
    mission: Mission,
    signal: TradeSignal,
    account: AccountInfo,
    spec: SymbolSpec,
    prices: SignalPrices,
    risk_percent: Decimal,
    deps: FireExecDeps,
) -> Decimal:
    """min(planned, what the live balance risks at `risk_percent`, what free margin holds);
    refused below the broker's minimum volume."""
    price = spec.ask if signal.direction == "buy" else spec.bid
    if price <= 0:
        raise FireRefused("no_quote", f"no live {signal.pair} price", Ending.RELEASE)
    late = signal.runaway(price, deps.limits.runaway_share)
    if late is not None:
        raise FireRefused("price_ran_away", late, Ending.EXPIRE)
    try:
        rates = prices.conversion_rates(account.login, account.currency)
        balance = min(account.balance, account.equity)
        risked = position_size(
            balance,
            signal.stop_pips,
            spec,
            mission.risk_multiplier,
            risk_percent,
            account.currency,
            rates,
        ).lots
    except PositionTooSmall as why:
        raise FireRefused("too_small", f"at today's balance {why}", Ending.REJECT) from why
    except NoQuote as why:
        raise FireRefused("no_quote", str(why), Ending.RELEASE) from why
    rate = quote_to_account_rate(spec.symbol, price, account.currency, rates)
    held = lots_for_margin(account.free, spec, price, account.leverage, rate)
    lots = min(mission.lots, risked, held)
    if lots < spec.volume_min:
        raise FireRefused(
            "no_margin",
            f"free margin {account.free} {account.currency} holds {held} lots at "
            f"1:{account.leverage}, below the {spec.volume_min} minimum",
            Ending.REJECT,
        )
    return lots
