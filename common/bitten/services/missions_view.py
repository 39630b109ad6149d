"""Read model for the HUD and GET /api/missions/{id}: the briefing, then the live trade."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import Bar, BrokerError, BrokerTimeout
from bitten.domain.display import price_digits
from bitten.domain.fire import FireState
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.outcome import CardState, Outcome, card_state, slippage_pips
from bitten.domain.signal import TradeSignal
from bitten.domain.trader import Trader
from bitten.ports import BarSource, Broker, UnitOfWork
from bitten.services.trader_views import LivePosition, live_positions

CHART_BARS = 120


class TraceHop(BaseModel):
    hop: str
    at: datetime


class MissionView(BaseModel):
    """The mission, its signal and shield checks, what became of it and its trace."""

    mission: Mission
    signal: TradeSignal
    fire_state: FireState | None
    expired: bool
    expires_at: datetime
    now: datetime  # the server's clock: the page's countdown runs from it
    state: CardState
    digits: int
    currency: str
    outcome: Outcome | None
    live: LivePosition | None = None  # the open position at the broker, with P&L
    trace: list[TraceHop]


def mission_view(
    mission_id: UUID, trader_id: UUID, uow: UnitOfWork, now: datetime, broker: Broker | None = None
) -> MissionView | None:
    """None when there is no such mission or it is not this trader's."""
    with uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None or mission.trader_id != trader_id:
            return None
        signal = repos.signals.get(mission.signal_id)
        trader = repos.traders.get(trader_id)
        fire = repos.fires.get(mission_id)
        outcome = repos.journal.outcome(mission_id)
        trace = repos.trace.for_mission(mission_id)
    if signal is None or trader is None:
        return None
    state = card_state(outcome, mission.expires_at, now) if outcome else CardState.OPEN
    if outcome and outcome.price_open is not None and outcome.slippage_pips is None:
        slip = slippage_pips(signal.pair, signal.direction, signal.entry, outcome.price_open)
        outcome = outcome.model_copy(update={"slippage_pips": slip})
    live = None
    if state == CardState.FILLED and broker is not None:
        live = _live(broker, trader, mission_id)
    open_ = mission.status == MissionStatus.OPEN
    return MissionView(
        mission=mission,
        signal=signal,
        fire_state=fire.state if fire else None,
        expired=mission.status == MissionStatus.EXPIRED or (open_ and mission.is_expired(now)),
        expires_at=mission.expires_at,
        now=now,
        state=state,
        digits=price_digits(signal.pair),
        currency=trader.account_currency,
        outcome=outcome,
        live=live,
        trace=[TraceHop(hop=t.hop, at=t.at) for t in trace],
    )


def _live(broker: Broker, trader: Trader, mission_id: UUID) -> LivePosition | None:
    try:
        found = live_positions(trader, broker)
    except (BrokerError, BrokerTimeout):
        return None  # the page keeps the last figures and says nothing new arrived
    return next((p for p in found if p.mission_id == mission_id), None)


def mission_bars(
    mission_id: UUID, trader_id: UUID, uow: UnitOfWork, bars: BarSource, count: int = CHART_BARS
) -> list[Bar] | None:
    """Recent closed M1 bars of the mission's pair; None when it is not this trader's."""
    with uow() as repos:
        mission = repos.missions.get(mission_id)
        signal = repos.signals.get(mission.signal_id) if mission else None
    if mission is None or signal is None or mission.trader_id != trader_id:
        return None
    return bars.bars(signal.pair, count)
