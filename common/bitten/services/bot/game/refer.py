"""/refer: your referral code, invite link and military rank."""

from __future__ import annotations

from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.views import rank_view


def refer(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    r = rank_view(trader.id, deps.uow)
    nxt = f"; {r.recruits_to_next} more for {r.next_rank}" if r.next_rank else ""
    say(
        deps,
        chat.chat_id,
        [
            f"Rank {r.rank}: {r.active_recruits} active recruit(s), {r.pending_recruits} "
            f"waiting for their first shot{nxt}",
            f"Your code: {r.referral_code}",
            _invite(r.referral_code, deps.bot_username),
            "A recruit counts once they link an account and fire; you earn 50 XP each.",
        ],
    )
    return "refer"


def _invite(payload: str, bot: str) -> str:
    if bot:
        return f"Invite link: https://t.me/{bot}?start={payload}"
    return f"Recruits send /start {payload} to this bot"
