"""Queue message bodies (validated at the edge)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class SignalMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signal_id: UUID


class MissionMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mission_id: UUID


class FireMessage(MissionMessage):
    """A FIRE attempt (a mission handed back unsent may be fired again: attempt 2, 3...)."""

    attempt: int = Field(1, ge=1)
