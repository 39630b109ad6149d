"""What became of a mission, as the trader's alert and the HUD show it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import Side
from bitten.domain.instruments import pip_size


class CardState(StrEnum):
    """The stage a mission's alert message shows; each later stage replaces the earlier."""

    OPEN = "open"
    FIRED = "fired"  # FIRE accepted, the order is on its way
    FILLED = "filled"
    CLOSED = "closed"
    REJECTED = "rejected"
    EXPIRED = "expired"


FINAL = (CardState.CLOSED, CardState.REJECTED, CardState.EXPIRED)
NOTIFY = (CardState.FILLED, CardState.CLOSED)  # stages that also get a short notification


class Outcome(BaseModel):
    """Fire and position facts as Postgres holds them (absent = not happened yet)."""

    mission_status: str
    fire_state: str | None = None
    fire_message: str = ""
    ticket: int | None = None
    volume: Decimal | None = None
    price_open: Decimal | None = None
    opened_at: datetime | None = None
    slippage_pips: Decimal | None = None  # when execution records it, else derived below
    price_close: Decimal | None = None
    close_reason: str | None = None
    pips: Decimal | None = None
    profit: Decimal | None = None
    closed_at: datetime | None = None


def card_state(outcome: Outcome, expires_at: datetime, now: datetime) -> CardState:
    """The stage to show; tolerant of mission statuses added later (filled, closed_tp...)."""
    status = outcome.mission_status
    if outcome.closed_at is not None or status.startswith("closed"):
        return CardState.CLOSED
    if outcome.price_open is not None or status == "filled":
        return CardState.FILLED
    if status == "rejected" or outcome.fire_state == "rejected":
        return CardState.REJECTED
    if status == "expired" or (status == "open" and now >= expires_at):
        return CardState.EXPIRED
    if status == "open":
        return CardState.OPEN
    return CardState.FIRED


def slippage_pips(symbol: str, side: Side, wanted: Decimal, filled: Decimal) -> Decimal:
    """Pips the fill was worse (+) or better (-) than the alert's entry."""
    sign = 1 if side == "buy" else -1
    return (sign * (filled - wanted) / pip_size(symbol)).quantize(Decimal("0.1"))


CLOSE_REASONS = {
    "tp": "target hit",
    "sl": "stopped out",
    "client": "closed by hand",
    "manual": "closed by hand",
    "stopout": "stop-out",
    "expert": "closed by the platform",
}


def close_reason_text(reason: str | None) -> str:
    return CLOSE_REASONS.get(reason or "", reason or "closed")


class AlertMessage(BaseModel):
    """A personal alert as sent: where it is and what it shows (no message: not sent)."""

    mission_id: UUID
    chat_id: int
    message_id: int | None
    shown: CardState
    noticed: CardState | None = None
    skipped: str | None = None
