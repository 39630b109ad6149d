"""A VENOM signal as the platform stores and sends it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from bitten.domain.broker import Side
from bitten.domain.instruments import pip_size


class ShieldCheck(BaseModel):
    """One CITADEL check: 0-2 points and the sentence the HUD shows."""

    model_config = ConfigDict(frozen=True)

    name: str
    score: float
    explanation: str


class TradeSignal(BaseModel):
    id: UUID
    pair: str
    direction: Side
    entry: Decimal
    stop_pips: Decimal
    target_pips: Decimal
    confidence: int
    shield_score: Decimal
    shield_label: str
    risk_multiplier: Decimal
    reasons: list[str]
    shield_checks: list[ShieldCheck]
    engine: str
    bar_time: datetime
    created_at: datetime
    expires_at: datetime

    def bracket(self, entry: Decimal) -> tuple[Decimal, Decimal]:
        """(stop price, target price) for a fill at `entry`."""
        pip = pip_size(self.pair)
        sign = 1 if self.direction == "buy" else -1
        return entry - sign * self.stop_pips * pip, entry + sign * self.target_pips * pip

    def runaway(self, price: Decimal, share: Decimal) -> str | None:
        """Why a fill at `price` comes too late: it already covered `share` of the way to the
        target, or went through the stop. None while the setup still holds."""
        pip = pip_size(self.pair)
        sign = 1 if self.direction == "buy" else -1
        moved = (sign * (price - self.entry) / pip).quantize(Decimal("0.1"))
        entry = self.entry.quantize(price)  # at the quote's own digits
        if moved >= share * self.target_pips:
            return (
                f"price already ran {moved} of the {self.target_pips} pips to the target "
                f"(entry {entry}, now {price})"
            )
        if -moved >= self.stop_pips:
            return (
                f"price already moved {-moved} pips against the signal, through its "
                f"{self.stop_pips}-pip stop (entry {entry}, now {price})"
            )
        return None
