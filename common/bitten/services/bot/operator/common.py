"""What the operator commands share: who acts (the audit name) and the operators' deps."""

from __future__ import annotations

from bitten.services.bot.models import User
from bitten.services.deps import BotDeps, OpsDeps


def actor(user: User) -> str:
    """The audit log's name of an operator acting from Telegram."""
    return f"telegram:{user.id}"


def ops(deps: BotDeps) -> OpsDeps:
    """The operators' deps (the router only lets operators in when they are set)."""
    if deps.ops is None:
        raise RuntimeError("operator commands need BotDeps.ops")
    return deps.ops
