"""A trader and the broker account their missions are sized from."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.tiers import Tier


class Trader(BaseModel):
    id: UUID
    telegram_id: int
    username: str
    tier: Tier
    xp: int
    created_at: datetime
    broker_login: str | None = None
    demo_account: bool = False
    account_currency: str = "USD"
    referral_code: str = ""
    referred_by: UUID | None = None
    tier_expires_at: datetime | None = None
