"""The FIRE button under a personal alert."""

from __future__ import annotations

from uuid import UUID

from bitten.domain.mission import MissionAlreadyFired, MissionExpired, MissionNotFound
from bitten.domain.switches import FiringPaused
from bitten.domain.tiers import TierViolation
from bitten.services.bot.models import CallbackQuery
from bitten.services.deps import BotDeps
from bitten.services.fire_request import FireCommand, request_fire


def on_press(query: CallbackQuery, deps: BotDeps) -> str:
    """Answer every press (Telegram shows a spinner until we do)."""
    outcome, text = _fire(query, deps)
    deps.notifier.answer_callback(query.id, text, alert=outcome not in ("fire_requested",))
    return outcome


def _fire(query: CallbackQuery, deps: BotDeps) -> tuple[str, str]:
    action, _, raw_id = (query.data or "").partition(":")
    try:
        mission_id = UUID(raw_id)
    except ValueError:
        return "bad_button", "This button is not valid any more."
    if action != "fire":
        return "bad_button", "Unknown action."
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(query.from_.id)
    if trader is None:
        return "not_registered", "Send /start first."
    try:
        request_fire(
            FireCommand(mission_id, trader.id, "telegram", f"tg:{query.id}"), deps.fire_deps()
        )
    except MissionNotFound:
        return "not_found", "Mission not found."
    except MissionAlreadyFired:
        return "duplicate", "Already fired: one order per mission."
    except (MissionExpired, TierViolation, FiringPaused) as why:
        return "refused", str(why)
    return "fire_requested", "FIRE received: sending your order."
