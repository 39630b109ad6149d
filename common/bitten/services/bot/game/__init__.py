"""The game's bot commands (issue 12), registered where bitten.services.bot.commands dispatches."""

from __future__ import annotations

from collections.abc import Callable

from bitten.services.bot.game.achievements import achievements
from bitten.services.bot.game.drill import drill
from bitten.services.bot.game.plan import plan
from bitten.services.bot.game.refer import refer
from bitten.services.bot.game.shop import shop
from bitten.services.bot.game.xp import xp
from bitten.services.bot.models import User
from bitten.services.deps import BotDeps

GAME_COMMANDS: dict[str, Callable[[int, User, str, BotDeps], str]] = {
    "/xp": xp,
    "/plan": plan,
    "/drill": drill,
    "/shop": shop,
    "/achievements": achievements,
    "/refer": refer,
}
GAME_HELP = (
    "/xp [claim] - XP, season level, battle pass rewards\n"
    "/plan [NAME] - today's plan, or pick one\n"
    "/drill [tz ZONE] - your last drill report, or set your time zone\n"
    "/shop [buy ITEM] - the intel shop\n/achievements\n/refer - your code and rank"
)
