"""Experience points for trading discipline."""

from __future__ import annotations

from decimal import Decimal

XP_PER_CLOSED_TRADE = 10
XP_TARGET_BONUS = 5


def xp_for_close(pips: Decimal) -> int:
    """Every closed trade earns XP (following the plan); a winner earns a bonus."""
    return XP_PER_CLOSED_TRADE + (XP_TARGET_BONUS if pips > 0 else 0)
