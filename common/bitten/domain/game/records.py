"""What the game stores, as the services read it back."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.game.drill import DayStats
from bitten.domain.tiers import Tier


class XpTotals(BaseModel):
    balance: int  # earned minus spent
    earned: int  # lifetime awards (what unlocks plans)
    season_xp: int  # awards this season (what levels the battle pass)


class GameProfile(BaseModel):
    trader_id: UUID
    time_zone: str


class DrillCandidate(BaseModel):
    """A trader whose drill is due, with what the report needs to know about them."""

    trader_id: UUID
    telegram_id: int
    tier: Tier
    time_zone: str
    currency: str


class StoredDrill(BaseModel):
    id: UUID
    trader_id: UUID
    day: date
    tone: str
    discipline: int
    outcome: str
    cover: str | None = None  # grace | shield: what kept the streak on a missed day
    zone: str = "UTC"
    text: str
    stats: DayStats
    read_at: datetime | None = None
    created_at: datetime


class NoticeKind(StrEnum):
    DRILL = "drill"
    ACHIEVEMENT = "achievement"
    DEEP_DIVE = "deep_dive"
    RECRUIT = "recruit"
    BROADCAST = "broadcast"  # issue 13: an operator's announcement


class NoticeStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # the trader blocked the bot, or Telegram refused it for good


class Notice(BaseModel):
    """A Telegram message the game owes a trader, written in the transaction that earned it."""

    id: UUID
    trader_id: UUID
    chat_id: int
    kind: NoticeKind
    reference: str  # unique per kind: sent once
    text: str
    button: str | None = None  # callback data of the one button under it (Debrief)
    status: NoticeStatus = NoticeStatus.QUEUED


class Purchase(BaseModel):
    id: UUID
    trader_id: UUID
    item: str
    price: int
    day: date
    season: str
    idempotency_key: str
    bought_at: datetime
