"""Recording broker outcomes: fills, rejections, closes (fire_execution and result_sync).

Each record is one transaction of compare-and-set moves: when a concurrent worker recorded
the same outcome first, TransitionLost is raised and nothing is written twice.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from bitten import logs
from bitten.domain.broker import ClosedDeal, OrderRequest, OrderResult
from bitten.domain.fire import FireState
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.trade import TrackedPosition
from bitten.domain.trader import Trader
from bitten.ports import Clock, Notifier, Repositories, UnitOfWork
from bitten.services.game.xp import award_trade_close

log = logs.get("positions")


class OutcomeDeps(Protocol):
    """What recording an outcome needs (FireExecDeps and SyncDeps both have it)."""

    uow: UnitOfWork
    clock: Clock
    notifier: Notifier


def record_fill(
    mission_id: UUID,
    order: OrderRequest,
    result: OrderResult,
    expected: FireState,
    deps: OutcomeDeps,
) -> None:
    """`expected -> filled`, the position opened, the mission fired; the trader told."""
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
        repos.fires.open_position(mission_id, result, order)
        mission, trader = _settle_mission(repos, mission_id, MissionStatus.FIRED)
        repos.trace.stamp(
            "broker_fill",
            result.time or now,
            signal_id=mission.signal_id,
            mission_id=mission_id,
            trader_id=trader.id,
            price=str(result.price),
            ticket=result.position,
        )
    _tell(
        deps,
        trader.telegram_id,
        f"FILLED {order.side.upper()} {result.volume} {order.symbol} @ {result.price}\n"
        f"SL {order.sl}  TP {order.tp}  ticket #{result.position}",
    )


def record_rejection(
    mission_id: UUID, result: OrderResult, expected: FireState | None, deps: OutcomeDeps
) -> None:
    """`expected -> rejected` (a never-claimed fire is claimed first), the mission rejected."""
    now = deps.clock.now()
    with deps.uow() as repos:
        if expected is None:
            repos.fires.claim(mission_id, now)
            expected = FireState.CLAIMED
        repos.fires.transition(
            mission_id,
            expected,
            FireState.REJECTED,
            now,
            retcode=result.retcode,
            message=result.retcode_text,
        )
        mission, trader = _settle_mission(repos, mission_id, MissionStatus.REJECTED)
        repos.trace.stamp(
            "order_rejected",
            now,
            signal_id=mission.signal_id,
            mission_id=mission_id,
            trader_id=trader.id,
            retcode=result.retcode,
        )
    _tell(deps, trader.telegram_id, f"Order not executed: {result.retcode_text}")


def _settle_mission(
    repos: Repositories, mission_id: UUID, status: MissionStatus
) -> tuple[Mission, Trader]:
    """Move the mission out of fire_requested; returns it with its trader."""
    repos.missions.transition(mission_id, MissionStatus.FIRE_REQUESTED, status)
    mission = repos.missions.get(mission_id)
    trader = repos.traders.get(mission.trader_id) if mission else None
    if mission is None or trader is None:
        raise LookupError(f"mission {mission_id} has no trader")
    return mission, trader


def record_close(position: TrackedPosition, deal: ClosedDeal, deps: OutcomeDeps) -> bool:
    """Close our position row from the broker's exit deal; award XP; tell the trader."""
    pips = position.pips_to(deal.price)
    with deps.uow() as repos:
        if not repos.fires.close_position(position.mission_id, deal, pips):
            return False
        award_trade_close(repos, position, deal)  # issue 12: XP ledger, once per mission
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
    result = {"tp": "TARGET HIT", "sl": "STOPPED OUT"}.get(deal.reason, "CLOSED")
    _tell(
        deps,
        position.telegram_id,
        f"{result} {position.symbol} {pips:+} pips, P&L {deal.profit:+} (ticket #{deal.position})",
    )
    return True


def _tell(deps: OutcomeDeps, chat_id: int, text: str) -> None:
    """Trade outcome messages are best effort: a Telegram hiccup must not undo a recorded fill."""
    try:
        deps.notifier.send_message(chat_id, text)
    except Exception:  # noqa: BLE001
        log.exception("could not notify trader", extra={"telegram_id": chat_id})
