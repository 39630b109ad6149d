"""Queue message bodies (validated at the edge)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict


class SignalMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signal_id: UUID


class MissionMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mission_id: UUID
