"""The daily drill report: the day's numbers, a discipline score, a tone and one lesson."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

# Each penalty alone drops the day below 70 (ROUGH): breaking the plan is never a solid day.
ABANDON_PENALTY = 40  # each trade closed by hand instead of by its stop or target
REFUSAL_PENALTY = 35  # each shot the plan had to refuse


class ClosedTrade(BaseModel):
    pair: str
    reason: str  # sl | tp | client | stopout | expert
    pips: Decimal
    profit: Decimal


class DayStats(BaseModel):
    """What one trader did on one trading day (their 18:00-to-18:00 window)."""

    day: date
    plan: str
    shots: int = 0
    shots_allowed: int = 0
    extra_shots: int = 0  # extra shots spent this day (each allows one shot more)
    missions: int = 0
    expired: int = 0
    refusals: int = 0
    closed: list[ClosedTrade] = []
    currency: str = "USD"
    xp: int = 0

    @property
    def wins(self) -> int:
        return sum(1 for t in self.closed if t.profit > 0)

    @property
    def pips(self) -> Decimal:
        return sum((t.pips for t in self.closed), Decimal(0))

    @property
    def money(self) -> Decimal:
        return sum((t.profit for t in self.closed), Decimal(0))

    @property
    def abandoned(self) -> list[ClosedTrade]:
        return [t for t in self.closed if t.reason not in ("sl", "tp")]

    @property
    def acted(self) -> bool:
        return bool(self.shots or self.closed)


class Tone(StrEnum):
    OUTSTANDING = "outstanding"
    SOLID = "solid"
    STEADY = "steady"
    ROUGH = "rough"
    NO_ACTION = "no_action"


HEADLINES = {
    Tone.OUTSTANDING: "OUTSTANDING. Textbook execution and the account shows it.",
    Tone.SOLID: "SOLID. You worked the plan and came out ahead or level.",
    Tone.STEADY: "STEADY. A red day taken by the rules: that is how losses should look.",
    Tone.ROUGH: "ROUGH. The plan slipped today; tomorrow it comes first.",
    Tone.NO_ACTION: "NO ACTION. No shots fired today.",
}


def discipline_score(stats: DayStats) -> int:
    """100, less 40 for each trade abandoned and 35 for each shot the plan refused (floor 0)."""
    lost = ABANDON_PENALTY * len(stats.abandoned) + REFUSAL_PENALTY * stats.refusals
    return max(0, 100 - lost)


def tone(stats: DayStats, score: int) -> Tone:
    """Result and discipline together: a disciplined loss is steady, an undisciplined win rough."""
    if not stats.acted:
        return Tone.ROUGH if stats.refusals else Tone.NO_ACTION
    if score < 70:
        return Tone.ROUGH
    if stats.money > 0 and score >= 90 and stats.wins:
        return Tone.OUTSTANDING
    return Tone.SOLID if stats.money >= 0 else Tone.STEADY
