"""Recording broker outcomes: fills, rejections, closes (fire_execution and result_sync)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from bitten import logs
from bitten.domain.broker import ClosedDeal, OrderRequest, OrderResult
from bitten.domain.instruments import pip_size
from bitten.domain.mission import MissionStatus
from bitten.domain.xp import xp_for_close

log = logs.get("positions")


def record_fill(mission_id: UUID, order: OrderRequest, result: OrderResult, deps) -> None:
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.fires.set_state(mission_id, "filled", now, result.retcode, result.retcode_text)
        repos.fires.open_position(mission_id, result, order.symbol, order.side)
        repos.missions.set_status(mission_id, MissionStatus.FIRED)
        mission = repos.missions.get(mission_id)
        trader = repos.traders.get(mission.trader_id)
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


def record_rejection(mission_id: UUID, result: OrderResult, deps) -> None:
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.fires.set_state(mission_id, "rejected", now, result.retcode, result.retcode_text)
        repos.missions.set_status(mission_id, MissionStatus.REJECTED)
        mission = repos.missions.get(mission_id)
        trader = repos.traders.get(mission.trader_id)
        repos.trace.stamp(
            "order_rejected",
            now,
            signal_id=mission.signal_id,
            mission_id=mission_id,
            trader_id=trader.id,
            retcode=result.retcode,
        )
    _tell(deps, trader.telegram_id, f"Order not executed: {result.retcode_text}")


def record_close(position: dict, deal: ClosedDeal, deps) -> bool:
    """Close our position row from the broker's exit deal; award XP; tell the trader."""
    pip = pip_size(position["symbol"])
    sign = 1 if position["side"] == "buy" else -1
    pips = (sign * (deal.price - position["price_open"]) / pip).quantize(Decimal("0.1"))
    with deps.uow() as repos:
        if not repos.fires.close_position(position["mission_id"], deal, pips):
            return False
        repos.traders.add_xp(position["trader_id"], xp_for_close(pips))
        repos.trace.stamp(
            "position_closed",
            deal.time,
            signal_id=position["signal_id"],
            mission_id=position["mission_id"],
            trader_id=position["trader_id"],
            reason=deal.reason,
            pips=str(pips),
            profit=str(deal.profit),
        )
    result = (
        "TARGET HIT" if deal.reason == "tp" else "STOPPED OUT" if deal.reason == "sl" else "CLOSED"
    )
    _tell(
        deps,
        position["telegram_id"],
        f"{result} {position['symbol']} {pips:+} pips, P&L {deal.profit:+} "
        f"(ticket #{deal.position})",
    )
    return True


def _tell(deps, chat_id: int, text: str) -> None:
    """Trade outcome messages are best effort: a Telegram hiccup must not undo a recorded fill."""
    try:
        deps.notifier.send_message(chat_id, text)
    except Exception:  # noqa: BLE001
        log.exception("could not notify trader", extra={"telegram_id": chat_id})
