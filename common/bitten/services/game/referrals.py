"""Referrals' game side: a recruit (traders.referred_by, set by /start CODE) turns active once
they linked an account and had an order filled: XP for both, a rank step for the referrer."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from bitten.domain.game.records import Notice, NoticeKind
from bitten.domain.game.referrals import rank_for
from bitten.domain.xp import ENLISTED, RECRUIT_ACTIVE, XpAward, XpKind
from bitten.ports import Repositories


def activate_recruits(repos: Repositories, now: datetime) -> int:
    """Recruits who linked an account and had an order filled: XP for both, once, and a notice
    to the referrer with their rank."""
    pairs = repos.game.profiles.activate_recruits(now)
    awards, notices = [], []
    for recruit_id, referrer_id in pairs:
        ref = str(recruit_id)
        awards += [
            XpAward(
                trader_id=referrer_id,
                kind=XpKind.RECRUIT_ACTIVE,
                amount=RECRUIT_ACTIVE,
                reference=ref,
                note="a recruit of yours took their first shot",
            ),
            XpAward(
                trader_id=recruit_id,
                kind=XpKind.ENLISTED,
                amount=ENLISTED,
                reference=ref,
                note="first shot as a recruit",
            ),
        ]
        notices += _rank_notice(repos, referrer_id, recruit_id)
    repos.game.xp.award_many(awards, now)
    repos.game.notices.add(notices, now)
    return len(pairs)


def _rank_notice(repos: Repositories, referrer_id: UUID, recruit_id: UUID) -> list[Notice]:
    referrer, recruit = repos.traders.get(referrer_id), repos.traders.get(recruit_id)
    if referrer is None or recruit is None:
        return []
    active, _ = repos.game.profiles.recruits(referrer_id)
    text = (
        f"Recruit @{recruit.username} is active: +{RECRUIT_ACTIVE} XP. "
        f"{active} active recruit(s): rank {rank_for(active).name}."
    )
    return [
        Notice(
            id=uuid.uuid4(),
            trader_id=referrer_id,
            chat_id=referrer.telegram_id,
            kind=NoticeKind.RECRUIT,
            reference=str(recruit_id),
            text=text,
        )
    ]
