"""Referrals: a code per trader, one referrer per recruit, military ranks by active recruits."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

CODE_PREFIX = "ref-"
_CODE = re.compile(r"^(?:ref-)?([A-Z2-7]{10})$", re.IGNORECASE)


@dataclass(frozen=True)
class Rank:
    name: str
    recruits: int  # active recruits needed


RANKS: tuple[Rank, ...] = (
    Rank("RECRUIT", 0),
    Rank("PRIVATE", 1),
    Rank("CORPORAL", 3),
    Rank("SERGEANT", 5),
    Rank("LIEUTENANT", 10),
    Rank("CAPTAIN", 25),
    Rank("MAJOR", 50),
    Rank("COLONEL", 100),
    Rank("GENERAL", 250),
)


class ReferralRefused(ValueError):
    """A /start payload that cannot credit anyone; the message says why."""


def referral_code(trader_id: UUID) -> str:
    """Ten base32 characters derived from the trader id (50 bits: collisions are negligible)."""
    digest = hashlib.sha256(b"bitten-referral:" + trader_id.bytes).digest()
    return base64.b32encode(digest).decode()[:10]


def start_payload(code: str) -> str:
    """What the invite link carries: t.me/<bot>?start=ref-XXXXXXXXXX."""
    return CODE_PREFIX + code


def parse_code(payload: str) -> str | None:
    """The referral code in a /start payload, or None when it is not a referral."""
    match = _CODE.match(payload.strip())
    return match.group(1).upper() if match else None


def rank_for(active_recruits: int) -> Rank:
    """The highest rank the number of active recruits reaches."""
    return [r for r in RANKS if active_recruits >= r.recruits][-1]


def next_rank(active_recruits: int) -> Rank | None:
    return next((r for r in RANKS if r.recruits > active_recruits), None)


def check_enlistment(
    recruit_id: UUID,
    recruit_since: datetime,
    recruit_fired: bool,
    already_referred: bool,
    referrer_id: UUID,
    referrer_since: datetime,
    referrer_referred_by: UUID | None = None,
) -> None:
    """Raise ReferralRefused unless this recruit may name this referrer."""
    if referrer_id == recruit_id:
        raise ReferralRefused("that is your own code: invite someone else with it")
    if already_referred:
        raise ReferralRefused("you already enlisted with a referral code; it cannot change")
    if recruit_fired:
        raise ReferralRefused("referral codes count for new recruits only, before their first shot")
    # No cycles: a referrer joined before the recruit (or with them), and is not their recruit.
    if referrer_since > recruit_since:
        raise ReferralRefused("that code belongs to a trader who joined after you")
    if referrer_referred_by == recruit_id:
        raise ReferralRefused("that trader enlisted with your code; you cannot enlist with theirs")
