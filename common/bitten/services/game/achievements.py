"""Achievements: checked whenever what they measure moves, unlocked and announced once."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from bitten.domain.game.achievements import Achievement, announcement, newly_earned
from bitten.domain.game.records import Notice, NoticeKind
from bitten.domain.xp import XpAward, XpKind
from bitten.ports import Repositories


def unlock_achievements(
    repos: Repositories, trader_ids: list[UUID], at: datetime
) -> dict[UUID, list[Achievement]]:
    """Unlock what each trader now meets, once, with its XP; returns the new ones by trader."""
    if not trader_ids:
        return {}
    book = repos.game.achievements
    records, held = book.records(trader_ids), book.held(trader_ids)
    earned = {t: newly_earned(records[t], held[t]) for t in trader_ids}
    won = book.unlock([(t, a.code) for t, got in earned.items() for a in got], at)
    new = {t: [a for a in got if (t, a.code) in won] for t, got in earned.items()}
    repos.game.xp.award_many([x for t, got in new.items() for a in got for x in _xp(t, a)], at)
    return {t: got for t, got in new.items() if got}


def evaluate_achievements(repos: Repositories, chats: dict[UUID, int], at: datetime) -> int:
    """Unlock what the traders (id -> Telegram chat) now meet, and announce them: one notice a
    trader for the unlocks of this moment (Telegram allows a chat ~1 message a second, and one
    message reads better than five)."""
    new = unlock_achievements(repos, list(chats), at)
    repos.game.notices.add([_notice(t, chats[t], got) for t, got in new.items()], at)
    return sum(len(got) for got in new.values())


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
