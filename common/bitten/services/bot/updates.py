"""Route one Telegram Update (webhook or long polling) to its command or button handler."""

from __future__ import annotations

from pydantic import ValidationError

from bitten import logs
from bitten.services.bot import commands, fire_button, operator, tier
from bitten.services.bot.game import debrief
from bitten.services.bot.models import Update
from bitten.services.deps import BotDeps

log = logs.get("bot")


class MalformedUpdate(ValueError):
    """The body is not a Telegram Update we understand."""


def parse_update(raw: object) -> Update:
    if not isinstance(raw, dict):
        raise MalformedUpdate("update must be a JSON object")
    try:
        return Update.model_validate(_rename_from(raw))
    except ValidationError as err:
        raise MalformedUpdate(f"not a Telegram update: {err.errors()[0]['msg']}") from err


def _rename_from(raw: object) -> object:
    """Telegram's `from` is a Python keyword; map it to `from_` at every level."""
    if isinstance(raw, dict):
        return {("from_" if k == "from" else k): _rename_from(v) for k, v in raw.items()}
    return raw


def handle_update(raw: object, deps: BotDeps) -> str:
    """Handle once per update_id; returns what happened (for logs and tests)."""
    update = parse_update(raw)
    kind = (
        "callback"
        if update.callback_query
        else "pre_checkout"
        if update.pre_checkout_query
        else "message"
        if update.message
        else "other"
    )
    with deps.uow() as repos:
        if not repos.telegram.first_delivery(update.update_id, kind, deps.clock.now()):
            return "duplicate_update"
    try:
        return _route(update, deps)
    except Exception:
        with deps.uow() as repos:  # Telegram retries a failed delivery; it must not be a no-op
            repos.telegram.forget(update.update_id)
        raise


def _route(update: Update, deps: BotDeps) -> str:
    if update.callback_query and (update.callback_query.data or "").startswith(debrief.PREFIX):
        return debrief.on_press(update.callback_query, deps)  # issue 12: the drill's button
    if update.callback_query and (update.callback_query.data or "").startswith(
        operator.REDRIVE_PREFIX
    ):
        return operator.on_redrive(update.callback_query, deps)  # issue 13: /dlq's button
    if update.callback_query:
        return fire_button.on_press(update.callback_query, deps)
    if update.pre_checkout_query:
        return tier.on_pre_checkout(update.pre_checkout_query, deps)
    message = update.message
    if message is None or message.from_ is None:
        return "ignored"
    if message.successful_payment:
        return tier.on_payment(message, message.from_, deps)
    if message.refunded_payment:
        return tier.on_refunded(message, message.from_, deps)
    if message.text:
        return commands.on_text(message, message.from_, deps)
    return "ignored"
