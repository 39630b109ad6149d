"""Inline buttons: FIRE under a personal alert or /missions, and the Stars 'buy' buttons."""

from __future__ import annotations

from uuid import UUID

from bitten.domain.mission import MissionAlreadyFired, MissionExpired, MissionNotFound
from bitten.domain.pacing import Priority
from bitten.domain.switches import FiringPaused
from bitten.domain.tiers import TierViolation
from bitten.services.bot import tier
from bitten.services.bot.models import CallbackQuery
from bitten.services.deps import BotDeps
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.mission_updates import show_mission


def on_press(query: CallbackQuery, deps: BotDeps) -> str:
    """Answer every press (Telegram shows a spinner until we do)."""
    action, _, raw = (query.data or "").partition(":")
    outcome, text = tier.on_buy(query, deps) if action == "buy" else _fire(query, deps)
    alert = outcome not in ("fire_requested", "invoice_sent")
    deps.notifier.answer_callback(query.id, text, alert=alert)
    if outcome == "fire_requested":  # the card loses its FIRE button and says so
        show_mission(UUID(raw), deps, Priority.REPLY)
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
        return "refused", str(why)[:200]
    return "fire_requested", "FIRE received: sending your order."
