"""The operators' kill switch: pause new signals, or pause firing, with a reason."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class Switch(StrEnum):
    SIGNALS = "signals"  # signal_scan emits nothing
    FIRING = "firing"  # FIRE is refused, and queued fires are handed back unsent


class SwitchState(BaseModel):
    name: Switch
    paused: bool = False
    reason: str = ""
    changed_by: str = ""
    changed_at: datetime | None = None

    def refusal(self) -> str | None:
        """What a refused trader reads, or None while running."""
        return f"{self.name.value} paused by operators: {self.reason}" if self.paused else None


class FiringPaused(Exception):
    """Operators paused firing; the message says why."""


class AuditEntry(BaseModel):
    """Who did what, when, why, and what it changed."""

    at: datetime
    actor: str
    action: str
    target: str = ""
    reason: str
    before: dict[str, object] = {}
    after: dict[str, object] = {}
