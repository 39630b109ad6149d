"""Postgres repositories of the game (issue 12), sharing the unit of work's cursor."""

from __future__ import annotations

from dataclasses import dataclass

from bitten.adapters.postgres import Cursor
from bitten.adapters.postgres.game.achievements import PostgresAchievementBook
from bitten.adapters.postgres.game.armory import PostgresArmory
from bitten.adapters.postgres.game.drills import PostgresDrills
from bitten.adapters.postgres.game.notices import PostgresNotices
from bitten.adapters.postgres.game.plans import PostgresPlanBook
from bitten.adapters.postgres.game.profiles import PostgresGameProfiles
from bitten.adapters.postgres.game.xp import PostgresXpLedger


@dataclass(frozen=True)
class PostgresGameRepositories:
    xp: PostgresXpLedger
    profiles: PostgresGameProfiles
    plans: PostgresPlanBook
    armory: PostgresArmory
    drills: PostgresDrills
    achievements: PostgresAchievementBook
    notices: PostgresNotices

    @classmethod
    def on(cls, cur: Cursor) -> PostgresGameRepositories:
        return cls(
            PostgresXpLedger(cur),
            PostgresGameProfiles(cur),
            PostgresPlanBook(cur),
            PostgresArmory(cur),
            PostgresDrills(cur),
            PostgresAchievementBook(cur),
            PostgresNotices(cur),
        )
