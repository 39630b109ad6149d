"""A trader's time zone and trading day, as stored in their game profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from bitten.domain.game.trading_day import DEFAULT_ZONE, UnknownTimeZone, trading_day, zone
from bitten.ports import Repositories

if TYPE_CHECKING:
    from bitten.domain.game.records import GameProfile


def zone_of(repos: Repositories, trader_id: UUID) -> ZoneInfo:
    """The trader's zone (UTC until they set one)."""
    profile = repos.game.profiles.get(trader_id)
    return stored_zone(profile.time_zone if profile else DEFAULT_ZONE)


def stored_zone(name: str) -> ZoneInfo:
    try:
        return zone(name)
    except UnknownTimeZone:  # a zone the tz database dropped since it was set
        return zone(DEFAULT_ZONE)


def today(repos: Repositories, trader_id: UUID, now: datetime) -> tuple[date, ZoneInfo]:
    """(the trader's current trading day, their zone)."""
    tz = zone_of(repos, trader_id)
    return trading_day(now, tz), tz


def profile(repos: Repositories, trader_id: UUID) -> GameProfile:
    """The trader's game profile, made on first need."""
    return repos.game.profiles.ensure(trader_id)
