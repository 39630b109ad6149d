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
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps

GAME_COMMANDS: dict[str, Callable[[Chat, User, str, BotDeps], str]] = {
    "/xp": xp,
    "/plan": plan,
    "/drill": drill,
    "/shop": shop,
    "/achievements": achievements,
    "/refer": refer,
}
GAME_MENU = {
    "xp": "XP, season level, battle pass rewards: /xp [claim]",
    "plan": "Today's tactical plan, or pick one: /plan [NAME]",
    "drill": "Your last drill report, or your time zone: /drill [tz ZONE]",
    "shop": "The intel shop: /shop [buy ITEM]",
    "achievements": "Achievements unlocked and next",
    "refer": "Your referral code and rank",
}
