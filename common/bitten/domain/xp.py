"""Experience points for trading discipline: what earns XP, how much, and its once-only key.

Every award is an `xp_events` row keyed by (kind, reference); the reference is a domain id
(mission, trader + trading day, achievement code, recruit), so a redelivered queue message or a
second scheduler run finds the key taken and awards nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel


class XpKind(StrEnum):
    OPENING_BALANCE = "opening_balance"  # the pre-ledger counter, moved in by migration 0030
    FIRED_IN_WINDOW = "fired_in_window"
    CLOSED_BY_BRACKET = "closed_by_bracket"
    PLAN_DAY = "plan_day"
    STREAK_DAY = "streak_day"
    DRILL_READ = "drill_read"
    ACHIEVEMENT = "achievement"
    RECRUIT_ACTIVE = "recruit_active"
    ENLISTED = "enlisted"
    OPERATOR_GRANT = "operator_grant"
    SHOP_PURCHASE = "shop_purchase"  # negative: XP spent


FIRED_IN_WINDOW = 5
CLOSED_BY_BRACKET = 10
BRACKET_REASONS = frozenset({"sl", "tp"})  # closed by its own stop or target, not abandoned
PLAN_DAY = 20
DRILL_READ = 5
RECRUIT_ACTIVE = 50
ENLISTED = 25
# Not season XP: history from before the ledger, operator grants and spending.
NOT_SEASON = frozenset({XpKind.OPENING_BALANCE, XpKind.OPERATOR_GRANT, XpKind.SHOP_PURCHASE})


class XpAward(BaseModel):
    """One award (or, negative, one spend) before it is written."""

    trader_id: UUID
    kind: XpKind
    amount: int
    reference: str
    note: str = ""


class XpEvent(BaseModel):
    """One ledger row as the trader sees it."""

    kind: XpKind
    amount: int
    reference: str
    note: str
    at: datetime


def day_reference(trader_id: UUID, day: date) -> str:
    return f"{trader_id}:{day.isoformat()}"


def trade_awards(trader_id: UUID, mission_id: UUID, close_reason: str) -> list[XpAward]:
    """A trade fired inside its window and closed by its own stop or target earns 15 XP, win or
    lose; one abandoned (closed by hand, stopped out for margin) earns none."""
    if close_reason not in BRACKET_REASONS:
        return []
    ref = str(mission_id)
    outcome = "target" if close_reason == "tp" else "stop"
    return [
        XpAward(
            trader_id=trader_id,
            kind=XpKind.FIRED_IN_WINDOW,
            amount=FIRED_IN_WINDOW,
            reference=ref,
            note="fired inside the mission window",
        ),
        XpAward(
            trader_id=trader_id,
            kind=XpKind.CLOSED_BY_BRACKET,
            amount=CLOSED_BY_BRACKET,
            reference=ref,
            note=f"closed by its own {outcome}",
        ),
    ]


def streak_bonus(streak: int) -> int:
    """XP for keeping a streak: from the 3rd followed day 10 a day, from the 10th 20."""
    return 0 if streak < 3 else 10 if streak < 10 else 20


def day_awards(trader_id: UUID, day: date, followed: bool, streak: int) -> list[XpAward]:
    """A trading day on which the plan was followed: 20 XP, plus the streak bonus."""
    if not followed:
        return []
    ref = day_reference(trader_id, day)
    awards = [
        XpAward(
            trader_id=trader_id,
            kind=XpKind.PLAN_DAY,
            amount=PLAN_DAY,
            reference=ref,
            note=f"followed the plan on {day.isoformat()}",
        )
    ]
    bonus = streak_bonus(streak)
    if bonus:
        awards.append(
            XpAward(
                trader_id=trader_id,
                kind=XpKind.STREAK_DAY,
                amount=bonus,
                reference=ref,
                note=f"streak of {streak} days",
            )
        )
    return awards


def drill_read_award(trader_id: UUID, day: date) -> XpAward:
    return XpAward(
        trader_id=trader_id,
        kind=XpKind.DRILL_READ,
        amount=DRILL_READ,
        reference=day_reference(trader_id, day),
        note=f"read the {day.isoformat()} drill report",
    )
