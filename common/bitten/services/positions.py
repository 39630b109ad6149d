"""Recording broker outcomes: fills, rejections, hand-backs, closes (fire_execution,
result_sync and the broker callback).

Each record is one transaction of compare-and-set moves: when a concurrent worker recorded
the same outcome first, TransitionLost is raised and nothing is written twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from bitten import logs
from bitten.domain.broker import ClosedDeal, OrderRequest, OrderResult
from bitten.domain.fire import FireState, client_id_for
from bitten.domain.mission import CLOSE_STATUS, Mission, MissionStatus
from bitten.domain.trade import TrackedPosition
from bitten.domain.trader import Trader
from bitten.ports import Clock, Notifier, Repositories, UnitOfWork
from bitten.services.game.xp import award_trade_close
from bitten.services.mission_updates import tell_outcome

log = logs.get("positions")


class OutcomeDeps(Protocol):
    """What recording an outcome needs (FireExecDeps and SyncDeps both have it)."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    hud_base_url: str


def record_fill(
    mission_id: UUID,
    order: OrderRequest,
    result: OrderResult,
    expected: FireState,
    deps: OutcomeDeps,
    *,
    broker_ms: float | None = None,
    reconciled: str | None = None,
) -> None:
    """`expected -> filled`, the position opened with its slippage, the mission filled; the
    trader told. `reconciled` names who found the order by its client id."""
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.fires.transition(
            mission_id,
            expected,
            FireState.FILLED,
            now,
            retcode=result.retcode,
            message=result.retcode_text,
        )
        mission, trader = _settle_mission(repos, mission_id, MissionStatus.FILLED)
        signal = repos.signals.get(mission.signal_id)
        if signal is None:  # a foreign key keeps this from happening
            raise LookupError(f"mission {mission_id} has no signal")
        entry = signal.entry
        slip = repos.fires.open_position(mission_id, result, order, entry, trader.account_currency)
        repos.trace.stamp(
            "broker_fill",
            result.time or now,
            signal_id=mission.signal_id,
            mission_id=mission_id,
            trader_id=trader.id,
            price=str(result.price),
            slippage_pips=str(slip),
            ticket=result.position,
            broker_ms=broker_ms,
        )
        if reconciled:
            _stamp_reconciled(repos, mission, reconciled, "filled", now)
    tell_outcome(
        deps,
        mission_id,
        trader.telegram_id,
        f"FILLED {order.side.upper()} {result.volume} {order.symbol} @ {result.price} "
        f"(entry {entry}, slippage {slip} pips)\n"
        f"SL {order.sl}  TP {order.tp}  ticket #{result.position}",
    )


def _stamp_reconciled(
    repos: Repositories, mission: Mission, by: str, outcome: str, now: datetime
) -> None:
    repos.trace.stamp(
        "order_reconciled",
        now,
        signal_id=mission.signal_id,
        mission_id=mission.id,
        trader_id=mission.trader_id,
        by=by,
        outcome=outcome,
    )


def record_rejection(
    mission_id: UUID,
    result: OrderResult,
    expected: FireState | None,
    deps: OutcomeDeps,
    reconciled: str | None = None,
) -> None:
    """`expected -> rejected` (a never-claimed fire is claimed first), the mission rejected."""
    now = deps.clock.now()
    with deps.uow() as repos:
        if expected is None:
            _claim_current(repos, mission_id, now)
            expected = FireState.CLAIMED
        repos.fires.transition(
            mission_id,
            expected,
            FireState.REJECTED,
            now,
            retcode=result.retcode,
            message=result.retcode_text,
        )
        mission, trader = _settle_mission(
            repos, mission_id, MissionStatus.REJECTED, result.retcode_text
        )
        repos.trace.stamp(
            "order_rejected",
            now,
            signal_id=mission.signal_id,
            mission_id=mission_id,
            trader_id=trader.id,
            retcode=result.retcode,
        )
        if reconciled:
            _stamp_reconciled(repos, mission, reconciled, "rejected", now)
    tell_outcome(deps, mission_id, trader.telegram_id, f"Order not executed: {result.retcode_text}")


def _claim_current(repos: Repositories, mission_id: UUID, now: datetime) -> None:
    """Claim the mission's current attempt (so a late worker's claim of it loses)."""
    mission = repos.missions.get(mission_id)
    if mission is None:
        raise LookupError(f"mission {mission_id} vanished")
    repos.fires.claim(mission_id, mission.fire_attempts, client_id_for(mission_id), now)


def _settle_mission(
    repos: Repositories, mission_id: UUID, status: MissionStatus, reason: str | None = None
) -> tuple[Mission, Trader]:
    """Move the mission out of fire_requested; returns it with its trader."""
    repos.missions.transition(mission_id, MissionStatus.FIRE_REQUESTED, status, reason)
    mission = repos.missions.get(mission_id)
    trader = repos.traders.get(mission.trader_id) if mission else None
    if mission is None or trader is None:
        raise LookupError(f"mission {mission_id} has no trader")
    return mission, trader


def record_close(position: TrackedPosition, deal: ClosedDeal, deps: OutcomeDeps) -> bool:
    """Close our position row from the broker's exit deal, the mission closed_<reason>;
    award XP; tell the trader the pips and the money."""
    pips = position.pips_to(deal.price)
    with deps.uow() as repos:
        if not repos.fires.close_position(position.mission_id, deal, pips):
            return False
        repos.missions.transition(
            position.mission_id, MissionStatus.FILLED, CLOSE_STATUS[deal.reason]
        )
        award_trade_close(repos, position, deal)  # issue 12: XP ledger, once per mission
        trader = repos.traders.get(position.trader_id)
        repos.trace.stamp(
            "position_closed",
            deal.time,
            signal_id=position.signal_id,
            mission_id=position.mission_id,
            trader_id=position.trader_id,
            reason=deal.reason,
            pips=str(pips),
            profit=str(deal.profit),
        )
    currency = trader.account_currency if trader else ""
    text = close_text(position, deal, pips, currency)
    tell_outcome(deps, position.mission_id, position.telegram_id, text)
    return True


CLOSE_WORDS = {"tp": "TARGET HIT", "sl": "STOPPED OUT", "stopout": "STOP-OUT"}


def close_text(position: TrackedPosition, deal: ClosedDeal, pips: object, currency: str) -> str:
    """The close message: why, pips and money (commission and swap when charged)."""
    costs = deal.commission + deal.swap
    extra = f" (commission and swap {costs:+})" if costs else ""
    return (
        f"{CLOSE_WORDS.get(deal.reason, 'CLOSED')} {position.symbol} {pips:+} pips, "
        f"P&L {deal.profit:+} {currency}{extra} (ticket #{deal.position})"
    )
