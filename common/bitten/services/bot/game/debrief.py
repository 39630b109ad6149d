"""The Debrief button under a drill report: marks it read (XP once) and answers the press."""

from __future__ import annotations

from datetime import date

from bitten.services.bot.models import CallbackQuery
from bitten.services.deps import BotDeps
from bitten.services.game.debrief import read_drill

PREFIX = "drill:"


def on_press(query: CallbackQuery, deps: BotDeps) -> str:
    """Answer every press; the XP is awarded on the first read of that day's report only."""
    try:
        day = date.fromisoformat((query.data or "")[len(PREFIX) :])
    except ValueError:
        deps.notifier.answer_callback(query.id, "This button is not valid any more.", alert=True)
        return "bad_button"
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(query.from_.id)
    if trader is None:
        deps.notifier.answer_callback(query.id, "Send /start first.", alert=True)
        return "not_registered"
    report, earned = read_drill(trader.id, day, deps)
    text = "Debriefed: +5 XP." if earned else "Already debriefed." if report else "No such report."
    deps.notifier.answer_callback(query.id, text)
    return "debriefed" if earned else "debrief_again"
