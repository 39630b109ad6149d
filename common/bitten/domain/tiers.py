"""Subscription tiers and what each allows."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    PRESS_PASS = "PRESS_PASS"
    NIBBLER = "NIBBLER"
    FANG = "FANG"
    COMMANDER = "COMMANDER"


# None = unlimited open trades.
OPEN_TRADE_LIMIT: dict[Tier, int | None] = {
    Tier.PRESS_PASS: None,
    Tier.NIBBLER: 1,
    Tier.FANG: 2,
    Tier.COMMANDER: None,
}


class TierViolation(Exception):
    """The trader's tier does not allow this trade; the message says why."""


def check_can_open(tier: Tier, demo_account: bool, open_trades: int) -> None:
    """Raise TierViolation if the tier forbids opening one more trade on this account."""
    if tier == Tier.PRESS_PASS and not demo_account:
        raise TierViolation("PRESS PASS trades on a demo account only; upgrade to trade live")
    limit = OPEN_TRADE_LIMIT[tier]
    if limit is not None and open_trades >= limit:
        plural = "trade" if limit == 1 else "trades"
        raise TierViolation(
            f"{tier.value} allows {limit} open {plural}; close one or upgrade to open another"
        )


PAID_TIERS = (Tier.NIBBLER, Tier.FANG, Tier.COMMANDER)
TIER_DAYS = 30  # one Stars payment buys this many days


def tier_name(tier: Tier) -> str:
    """What a trader reads: 'PRESS PASS', 'FANG'."""
    return tier.value.replace("_", " ")


def tier_allows(tier: Tier) -> str:
    """One line on what a tier allows."""
    if tier == Tier.PRESS_PASS:
        return "demo account only, every signal, free"
    limit = OPEN_TRADE_LIMIT[tier]
    trades = "unlimited open trades" if limit is None else f"{limit} open trade" + "s" * (limit > 1)
    return f"live account, {trades}"
