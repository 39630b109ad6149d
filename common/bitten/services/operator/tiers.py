"""Tiers by hand: grant a window (source "operator", no Stars), revoke grants (PRESS_PASS), and
the Stars refund with a reason; each audited with the tier before and after."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.operator import Operator, UnknownTarget
from bitten.domain.subscription import StarPayment, TierOffer, paid_window
from bitten.domain.tiers import Tier
from bitten.ports import Clock, Notifier, Repositories, UnitOfWork
from bitten.services.deps import OpsDeps
from bitten.services.subscriptions import refund, settle_tier

MAX_DAYS = 366


class TierState(BaseModel):
    trader_id: UUID
    tier: Tier
    expires_at: datetime | None = None


def grant_tier(
    trader_id: UUID, tier: Tier, days: int, reason: str, actor: str, deps: OpsDeps
) -> TierState:
    """A paid tier for `days` (the same tier still running is extended), or PRESS_PASS: every
    granted window taken back (paid ones stay: refund those). UnknownTarget for no trader."""
    who = Operator.of(actor, reason)
    if tier != Tier.PRESS_PASS and not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1 to {MAX_DAYS}")
    now = deps.clock.now()
    with deps.uow() as repos:
        trader = repos.traders.get(trader_id, lock=True)
        if trader is None:
            raise UnknownTarget(f"no trader {trader_id}")
        before = TierState(trader_id=trader_id, tier=trader.tier, expires_at=trader.tier_expires_at)
        if tier == Tier.PRESS_PASS:
            after, action = _revoke(repos, trader_id, now), "revoke_tier"
        else:
            after, action = _grant(repos, before, tier, days, now), "grant_tier"
        dump = before.model_dump(mode="json"), {**after.model_dump(mode="json"), "days": days}
        repos.audit.record(who.entry(now, action, str(trader_id), *dump))
        repos.trace.stamp(action, now, trader_id=trader_id, tier=after.tier.value)
    return after


def _grant(repos: Repositories, was: TierState, tier: Tier, days: int, now: datetime) -> TierState:
    offer = TierOffer(tier=tier, stars=0, days=days)
    starts, expires = paid_window(offer, was.tier, was.expires_at, now)
    window = StarPayment(
        charge_id=f"operator:{uuid.uuid4()}",
        trader_id=was.trader_id,
        tier=tier,
        stars=0,
        paid_at=now,
        starts_at=starts,
        expires_at=expires,
        source="operator",
    )
    repos.subscriptions.add(window)
    repos.traders.set_tier(was.trader_id, tier, expires)
    return TierState(trader_id=was.trader_id, tier=tier, expires_at=expires)


def _revoke(repos: Repositories, trader_id: UUID, now: datetime) -> TierState:
    repos.subscriptions.revoke_grants(trader_id, now)
    tier = settle_tier(repos, trader_id, now)
    left = repos.subscriptions.active(trader_id, now)
    expires = left[0].expires_at if left else None
    return TierState(trader_id=trader_id, tier=tier, expires_at=expires)


@dataclass
class _Payments:
    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    tier_prices: dict[Tier, int]


def refund_payment(charge_id: str, reason: str, actor: str, deps: OpsDeps) -> str:
    """refundStarPayment and the tier reverted, audited: refunded, already, unknown, not_stars."""
    who = Operator.of(actor, reason)
    if deps.notifier is None:
        raise RuntimeError("no Telegram bot configured: refunds go through refundStarPayment")
    payments = _Payments(deps.uow, deps.clock, deps.notifier, deps.tier_prices)
    return refund(charge_id.strip(), payments, by=who)
