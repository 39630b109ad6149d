"""Operator actions beyond the kill switch: who and why (required), VENOM setups switched off
and on, broadcasts, and what the platform's queues and dead-letter queues hold."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.switches import AuditEntry
from bitten.domain.tiers import Tier

MAX_BROADCAST = 4096  # Telegram's limit on one message's text


class UnknownTarget(LookupError):
    """The action names something that does not exist (a setup, queue, message, trader)."""


class Operator(BaseModel):
    """Who acts and why; `of` refuses an empty actor or reason."""

    actor: str
    reason: str

    @classmethod
    def of(cls, actor: str, reason: str) -> Operator:
        """ValueError without a reason or an actor."""
        if not reason.strip():
            raise ValueError("say why: a reason is required")
        if not actor.strip():
            raise ValueError("say who: an operator name is required")
        return cls(actor=actor.strip(), reason=reason.strip())

    def entry(
        self,
        at: datetime,
        action: str,
        target: str,
        before: Mapping[str, object] | None = None,
        after: Mapping[str, object] | None = None,
    ) -> AuditEntry:
        """The audit row of this action."""
        return AuditEntry(
            at=at,
            actor=self.actor,
            action=action,
            target=target,
            reason=self.reason,
            before=dict(before or {}),
            after=dict(after or {}),
        )


class SetupSwitch(BaseModel):
    """A VENOM setup on or off; a setup never switched is on."""

    name: str
    enabled: bool = True
    reason: str = ""
    changed_by: str = ""
    changed_at: datetime | None = None


class Broadcast(BaseModel):
    """One announcement to every trader, or to the traders of one tier."""

    id: UUID
    text: str
    tier: Tier | None = None
    reason: str
    actor: str
    created_at: datetime
    recipients: int = 0


def broadcast_text(text: str) -> str:
    """The text as sent; ValueError when empty or over Telegram's limit."""
    text = text.strip()
    if not text:
        raise ValueError("the broadcast has no text")
    if len(text) > MAX_BROADCAST:
        raise ValueError(f"the broadcast is {len(text)} characters; Telegram takes {MAX_BROADCAST}")
    return text


class QueueDepth(BaseModel):
    """One queue of the platform: messages waiting, being handled, and given up on (its DLQ)."""

    name: str
    depth: int
    in_flight: int
    dead_letters: int


class DeadLetter(BaseModel):
    """A message its queue gave up on after maxReceiveCount tries."""

    message_id: str
    body: object
    sent_at: datetime | None = None
    receive_count: int = 0
