"""Referrals: /start with a code enlists a new recruit once; active recruits rank the referrer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from bitten.domain.game.records import Notice, NoticeKind
from bitten.domain.game.referrals import (
    ReferralRefused,
    check_enlistment,
    parse_code,
    rank_for,
)
from bitten.domain.trader import Trader
from bitten.domain.xp import ENLISTED, RECRUIT_ACTIVE, XpAward, XpKind
from bitten.ports import Clock, Notifier, Repositories, UnitOfWork
from bitten.services.game.zones import profile

EVER = datetime(2000, 1, 1, tzinfo=UTC)


class BotLike(Protocol):
    uow: UnitOfWork
    clock: Clock
    notifier: Notifier


def enlist(trader: Trader, payload: str, deps: BotLike) -> str | None:
    """Credit the referrer named by a /start payload (issue 12's call in `start`).

    Returns what happened ("enlisted" or "referral_refused"), None when the payload is no code."""
    code = parse_code(payload)
    if code is None:
        return None
    try:
        referrer = _enlist(trader, code, deps)
    except ReferralRefused as why:
        deps.notifier.send_message(trader.telegram_id, f"Referral not applied: {why}")
        return "referral_refused"
    deps.notifier.send_message(
        trader.telegram_id,
        f"Enlisted under @{referrer.username}. Link an account and take your first shot: "
        f"you both earn XP ({ENLISTED} for you, {RECRUIT_ACTIVE} for them).",
    )
    _tell(
        deps,
        referrer.telegram_id,
        f"New recruit @{trader.username} enlisted with your code. They count toward your rank "
        "once they link an account and fire.",
    )
    return "enlisted"


def _enlist(trader: Trader, code: str, deps: BotLike) -> Trader:
    now = deps.clock.now()
    with deps.uow() as repos:
        mine = profile(repos, trader.id)
        theirs = repos.game.profiles.by_code(code)
        referrer = repos.traders.get(theirs.trader_id) if theirs else None
        if referrer is None:
            raise ReferralRefused(f"no trader has the code {code}")
        fired = repos.game.plans.shots(trader.id, EVER, now) > 0
        check_enlistment(
            trader.id,
            trader.created_at,
            fired,
            mine.referred_by is not None,
            referrer.id,
            referrer.created_at,
            theirs.referred_by if theirs else None,
        )
        if not repos.game.profiles.enlist(trader.id, referrer.id, now):
            raise ReferralRefused("you already enlisted with a referral code; it cannot change")
    return referrer


def _tell(deps: BotLike, chat_id: int, text: str) -> None:
    try:
        deps.notifier.send_message(chat_id, text)
    except Exception:  # noqa: BLE001 - the referrer's heads-up is best effort
        pass


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
