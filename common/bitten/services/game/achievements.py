"""Achievements: checked whenever what they measure moves, unlocked and announced once."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from bitten.domain.game.achievements import Achievement, announcement, newly_earned
from bitten.domain.game.records import Notice, NoticeKind
from bitten.domain.xp import XpAward, XpKind
from bitten.ports import Repositories


def evaluate_achievements(repos: Repositories, chats: dict[UUID, int], at: datetime) -> int:
    """Unlock what the traders (id -> Telegram chat) now meet: XP for each, once, and one notice
    a trader announcing all of this moment's unlocks (Telegram allows a chat ~1 message a
    second, and one message reads better than five)."""
    ids = list(chats)
    if not ids:
        return 0
    book = repos.game.achievements
    records, held = book.records(ids), book.held(ids)
    awards: list[XpAward] = []
    notices: list[Notice] = []
    unlocked = 0
    for trader_id in ids:
        new = [
            a
            for a in newly_earned(records[trader_id], held[trader_id])
            if book.unlock(trader_id, a.code, at)
        ]
        for a in new:
            awards += _xp(trader_id, a)
        if new:
            notices.append(_notice(trader_id, chats[trader_id], new))
        unlocked += len(new)
    repos.game.xp.award_many(awards, at)
    repos.game.notices.add(notices, at)
    return unlocked


def _xp(trader_id: UUID, a: Achievement) -> list[XpAward]:
    if not a.xp:
        return []
    note = f"{a.name} ({a.grade})"
    return [
        XpAward(
            trader_id=trader_id,
            kind=XpKind.ACHIEVEMENT,
            amount=a.xp,
            reference=f"{trader_id}:{a.code}",
            note=note,
        )
    ]


def _notice(trader_id: UUID, chat_id: int, new: list[Achievement]) -> Notice:
    """One message for the unlocks of one moment; its key names them (each unlocks once)."""
    codes = "+".join(a.code for a in new)
    return Notice(
        id=uuid.uuid4(),
        trader_id=trader_id,
        chat_id=chat_id,
        kind=NoticeKind.ACHIEVEMENT,
        reference=f"{trader_id}:{codes}",
        text="\n\n".join(announcement(a) for a in new),
    )
