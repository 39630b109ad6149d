"""/plan: today's plan and what is left of it; /plan NAME: pick an unlocked plan."""

from __future__ import annotations

from bitten.domain.game.plans import PlanLocked
from bitten.services.bot.game.common import say, trader_of
from bitten.services.bot.models import User
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps
from bitten.services.game.plan_view import plan_status
from bitten.services.game.plans import choose_plan


def plan(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    trader = trader_of(chat.chat_id, user, deps)
    if trader is None:
        return "not_registered"
    if arg:
        try:
            choice = choose_plan(trader.id, arg, deps)
        except (ValueError, PlanLocked) as why:
            say(deps, chat.chat_id, [f"Plan not changed: {why}"])
            return "plan_refused"
        when = (
            "from now" if choice.immediate else f"from {choice.effective_day} (shots taken today)"
        )
        say(deps, chat.chat_id, [f"Plan {choice.strategy.value} {when}."])
        return "plan_chosen"
    s = plan_status(trader.id, deps.uow, deps.clock.now())
    c = s.current
    lines = [
        f"Plan {c.strategy}: {c.motto}",
        f"Shots {s.shots_used} of {s.shots_allowed} today (resets {s.resets_at:%H:%M} UTC); "
        f"extra shots held {s.extra_shots_held}",
        f"Setups need shield {c.min_shield}+ and confidence {c.min_confidence}%+; "
        f"each shot risks {c.risk_share_percent}% of the standard risk",
    ]
    if s.tomorrow:
        lines.append(f"From tomorrow: {s.tomorrow}")
    for p in s.plans:
        mark = "open" if p.unlocked else f"unlocks at {p.unlock_xp} XP earned"
        lines.append(f"- {p.strategy} ({mark}): {p.motto}")
    say(deps, chat.chat_id, lines + [f"XP earned {s.earned_xp}. Pick one with /plan NAME"])
    return "plan"
