"""/drill: the last drill report (reading it earns XP once); /drill tz ZONE: set your zone."""

from __future__ import annotations

from uuid import UUID

from bitten.domain.game.trading_day import UnknownTimeZone, zone
from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.debrief import read_drill
from bitten.services.game.zones import profile


def drill(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    word, _, rest = arg.strip().partition(" ")
    if word.lower() in ("tz", "zone"):
        return _set_zone(chat.chat_id, trader.id, rest.strip(), deps)
    report, earned = read_drill(trader.id, None, deps)
    if report is None:
        say(
            deps,
            chat.chat_id,
            [
                "No drill report yet: the first comes at 18:00 your time "
                "(set it with /drill tz Europe/London)."
            ],
        )
        return "no_drill"
    say(deps, chat.chat_id, [report.text] + (["+5 XP for the debrief."] if earned else []))
    return "drill"


def _set_zone(chat_id: int, trader_id: UUID, name: str, deps: BotDeps) -> str:
    try:
        tz = zone(name)
    except UnknownTimeZone as why:
        say(deps, chat_id, [str(why)])
        return "zone_refused"
    with deps.uow() as repos:
        profile(repos, trader_id)
        repos.game.profiles.set_zone(trader_id, str(tz))
    say(deps, chat_id, [f"Time zone {tz}: your drill comes at 18:00 and your day resets then."])
    return "zone_set"
