"""Battle pass seasons: a calendar quarter each, levels from season XP, free and premium tracks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel

from bitten.domain.tiers import Tier

OPERATIONS = ("Frostbite", "Monsoon", "Sandstorm", "Blackout")
PREMIUM_TIERS = frozenset({Tier.NIBBLER, Tier.FANG, Tier.COMMANDER})  # the paid tiers


class Track(StrEnum):
    FREE = "free"
    PREMIUM = "premium"


class Season(BaseModel):
    id: str  # 2024-Q1
    name: str
    starts_at: datetime
    ends_at: datetime


class Reward(BaseModel):
    level: int
    track: Track
    item: str
    quantity: int


class _Pass(BaseModel):
    level_xp: int
    max_level: int
    rewards: list[Reward]


@cache
def battle_pass() -> _Pass:
    raw = resources.files("bitten.domain.game").joinpath("data/battle_pass.json").read_text()
    return _Pass.model_validate(json.loads(raw))


def season_of(at: datetime) -> Season:
    """The season (calendar quarter, UTC) `at` falls in."""
    at = at.astimezone(UTC)
    quarter = (at.month - 1) // 3
    start = datetime(at.year, 3 * quarter + 1, 1, tzinfo=UTC)
    end = (
        datetime(at.year + 1, 1, 1, tzinfo=UTC)
        if quarter == 3
        else datetime(at.year, 3 * quarter + 4, 1, tzinfo=UTC)
    )
    sid = f"{at.year}-Q{quarter + 1}"
    return Season(
        id=sid, name=f"Operation {OPERATIONS[quarter]} {at.year}", starts_at=start, ends_at=end
    )


def level(season_xp: int) -> int:
    """Season level: one per `level_xp` XP earned this season, up to `max_level`."""
    bp = battle_pass()
    return min(bp.max_level, max(0, season_xp) // bp.level_xp)


def premium(tier: Tier) -> bool:
    return tier in PREMIUM_TIERS


def claimable(lvl: int, tier: Tier, claimed: set[tuple[Track, int]]) -> list[Reward]:
    """Rewards reached at `lvl` on the tracks the tier opens, not yet claimed."""
    open_tracks = {Track.FREE, Track.PREMIUM} if premium(tier) else {Track.FREE}
    return [
        r
        for r in battle_pass().rewards
        if r.level <= lvl and r.track in open_tracks and (r.track, r.level) not in claimed
    ]
