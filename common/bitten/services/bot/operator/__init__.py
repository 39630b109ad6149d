"""Operator commands (issue 13): /throne /pause /resume /broadcast /dlq, answered only to the
Telegram ids in OPERATOR_TELEGRAM_IDS (anyone else gets the help, as for any unknown command)."""

from __future__ import annotations

from collections.abc import Callable

from bitten.services.bot.models import User
from bitten.services.bot.operator.dlq import REDRIVE_PREFIX, dlq, on_redrive
from bitten.services.bot.operator.switches import broadcast_command, pause, resume, throne
from bitten.services.bot.texts import Chat
from bitten.services.deps import BotDeps

OPERATOR_COMMANDS: dict[str, Callable[[Chat, User, str, BotDeps], str]] = {
    "/throne": throne,
    "/pause": pause,
    "/resume": resume,
    "/broadcast": broadcast_command,
    "/dlq": dlq,
}


def is_operator(user: User, deps: BotDeps) -> bool:
    return deps.ops is not None and user.id in deps.operator_ids


__all__ = ["OPERATOR_COMMANDS", "REDRIVE_PREFIX", "is_operator", "on_redrive"]
