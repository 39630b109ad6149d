"""Tactical strategies: the daily plan a trader picks once it is unlocked, enforced at FIRE."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bitten.domain.signal import TradeSignal
from bitten.domain.tiers import TierViolation


class Strategy(StrEnum):
    LONE_WOLF = "LONE_WOLF"
    FIRST_BLOOD = "FIRST_BLOOD"
    DOUBLE_TAP = "DOUBLE_TAP"
    TACTICAL_COMMAND = "TACTICAL_COMMAND"


@dataclass(frozen=True)
class TacticalPlan:
    """A day's rules: how many shots, how good a setup must be, what share of the 2% each risks."""

    strategy: Strategy
    unlock_xp: int  # lifetime XP earned (spending in the shop never locks a plan again)
    shots_per_day: int
    min_shield: Decimal
    min_confidence: int
    risk_share: Decimal  # of RISK_PERCENT (2%): 0.5 risks 1% of the balance a shot
    motto: str

    @property
    def share_percent(self) -> int:
        """The risk share as a whole percent of the standard risk (75 for 0.75)."""
        return int(self.risk_share * 100)

    def max_daily_risk(self, risk_percent: Decimal) -> Decimal:
        """Percent of the balance the whole day's budget can put at risk."""
        return self.shots_per_day * self.risk_share * risk_percent


# More shots come with a smaller share each, so no plan can put more than 6% at risk in a day;
# TACTICAL_COMMAND trades the other way: few shots, full size, A-grade setups only.
PLANS: dict[Strategy, TacticalPlan] = {
    p.strategy: p
    for p in (
        TacticalPlan(
            Strategy.LONE_WOLF,
            0,
            2,
            Decimal("6.0"),
            55,
            Decimal("1.00"),
            "two careful shots at the standard risk",
        ),
        TacticalPlan(
            Strategy.FIRST_BLOOD,
            120,
            4,
            Decimal("5.0"),
            50,
            Decimal("0.75"),
            "four shots at three quarters risk on any VENOM setup",
        ),
        TacticalPlan(
            Strategy.DOUBLE_TAP,
            240,
            6,
            Decimal("5.0"),
            50,
            Decimal("0.50"),
            "six shots at half risk: room to re-enter a setup",
        ),
        TacticalPlan(
            Strategy.TACTICAL_COMMAND,
            360,
            3,
            Decimal("7.0"),
            60,
            Decimal("1.00"),
            "three shots at the standard risk, A-grade setups only",
        ),
    )
}
DEFAULT = Strategy.LONE_WOLF


class PlanViolation(TierViolation):
    """The trader's plan for today refuses this shot; the message says which rule and why.

    A TierViolation, so every FIRE entry point already answers it as a refusal (403 / alert).
    """


class PlanLocked(ValueError):
    """The trader has not earned enough XP for this plan yet."""


def parse_strategy(text: str) -> Strategy:
    """'first_blood', 'FIRST BLOOD' or 'first-blood' -> Strategy; ValueError naming the four."""
    key = text.strip().upper().replace(" ", "_").replace("-", "_")
    try:
        return Strategy(key)
    except ValueError:
        names = ", ".join(s.value for s in Strategy)
        raise ValueError(f"{text!r} is not a plan; choose one of {names}") from None


def unlocked(earned_xp: int) -> list[TacticalPlan]:
    """Plans a trader with `earned_xp` lifetime XP may pick."""
    return [p for p in PLANS.values() if earned_xp >= p.unlock_xp]


def check_unlocked(strategy: Strategy, earned_xp: int) -> TacticalPlan:
    """The plan, or PlanLocked saying how much XP is still missing."""
    plan = PLANS[strategy]
    if earned_xp < plan.unlock_xp:
        raise PlanLocked(
            f"{strategy.value} unlocks at {plan.unlock_xp} XP earned; "
            f"you have {earned_xp} ({plan.unlock_xp - earned_xp} to go)"
        )
    return plan


def gate_refusal(plan: TacticalPlan, signal: TradeSignal) -> str | None:
    """Why the setup is below the plan's bar, or None when it qualifies."""
    name = plan.strategy.value
    if signal.shield_score < plan.min_shield:
        return f"{name}: shield {signal.shield_score} is below the plan's {plan.min_shield} minimum"
    if signal.confidence < plan.min_confidence:
        return (
            f"{name}: confidence {signal.confidence}% is below the plan's "
            f"{plan.min_confidence}% minimum"
        )
    return None


def check_shot(
    plan: TacticalPlan, shots_used: int, extras_used: int, extras_held: int, signal: TradeSignal
) -> bool:
    """Raise PlanViolation unless one more shot on `signal` keeps to today's plan.

    True when the plan's budget is spent and the shot must use an extra shot the trader holds.
    """
    why = gate_refusal(plan, signal)
    if why:
        raise PlanViolation(why)
    allowed = plan.shots_per_day + extras_used
    if shots_used < allowed:
        return False
    if extras_held > 0:
        return True
    raise PlanViolation(
        f"{plan.strategy.value}: {shots_used} of {allowed} shots used today "
        "(resets with your 18:00 drill; an extra shot is in the /shop)"
    )
