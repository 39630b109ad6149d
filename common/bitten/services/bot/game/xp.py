"""/xp: balance, season level and recent awards; /xp claim: the battle pass rewards reached."""

from __future__ import annotations

from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.season_view import season_view
from bitten.services.game.shop import claim_rewards
from bitten.services.game.views import xp_view


def xp(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    if arg.strip().lower() == "claim":
        got = claim_rewards(trader.id, deps)
        lines = [f"Claimed level {r.level} {r.track.value}: {r.quantity} x {r.item}" for r in got]
        say(
            deps,
            chat.chat_id,
            lines or ["Nothing to claim yet: earn season XP to reach the next reward."],
        )
        return "claimed"
    now = deps.clock.now()
    view, season = (
        xp_view(trader.id, deps.uow, now, recent=5),
        season_view(trader.id, deps.uow, now),
    )
    lines = [f"XP {view.balance} (earned {view.earned}, this season {view.season_xp})"]
    if season is not None:
        ready = sum(1 for r in season.rewards if r.status == "claimable")
        nxt = f", {season.xp_to_next_level} XP to the next" if season.xp_to_next_level else ""
        lines.append(f"{season.name}: level {season.level}/{season.max_level}{nxt}")
        if ready:
            lines.append(f"{ready} reward(s) ready: /xp claim")
    lines += [f"{e.amount:+} {e.note or e.kind.value}" for e in view.recent]
    say(deps, chat.chat_id, lines)
    return "xp"
