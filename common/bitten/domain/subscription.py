"""Paid tiers bought with Telegram Stars: the offer, the invoice payload, the 30-day window."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.tiers import PAID_TIERS, TIER_DAYS, Tier

STARS = "XTR"  # Telegram's currency code for Stars (digital goods)
PAYLOAD_PREFIX = "tier"


class InvalidOffer(ValueError):
    """An invoice payload or price that does not match what we sell; the text says why."""


class TierOffer(BaseModel):
    tier: Tier
    stars: int
    days: int = TIER_DAYS


class StarPayment(BaseModel):
    """One successful Stars payment: the tier it bought and the window it covers."""

    charge_id: str  # telegram_payment_charge_id: the idempotency key
    trader_id: UUID
    tier: Tier
    stars: int
    paid_at: datetime
    starts_at: datetime
    expires_at: datetime
    refunded_at: datetime | None = None
    source: str = "stars"  # or "operator": a window granted by hand (stars 0, no charge)


def offers(prices: dict[Tier, int]) -> list[TierOffer]:
    """The paid tiers on sale, cheapest first, at the configured prices."""
    return sorted(
        (TierOffer(tier=t, stars=prices[t]) for t in PAID_TIERS if prices.get(t)),
        key=lambda o: o.stars,
    )


def invoice_payload(offer: TierOffer, trader_id: UUID) -> str:
    """'tier:FANG:750:<trader hex>': what pre-checkout checks against the live offer (<=128 B)."""
    return f"{PAYLOAD_PREFIX}:{offer.tier.value}:{offer.stars}:{trader_id.hex}"


def parse_payload(payload: str) -> tuple[Tier, int, UUID]:
    """(tier, stars, trader id) from an invoice payload; InvalidOffer when it is not ours."""
    parts = payload.split(":")
    try:
        prefix, tier, stars, trader = parts
        if prefix != PAYLOAD_PREFIX:
            raise ValueError(prefix)
        return Tier(tier), int(stars), UUID(hex=trader)
    except ValueError as err:
        raise InvalidOffer("this invoice is not one of ours") from err


def check_offer(payload: str, currency: str, total: int, prices: dict[Tier, int]) -> TierOffer:
    """The offer a payment is for, if it still matches what we sell; InvalidOffer otherwise."""
    tier, stars, _ = parse_payload(payload)
    if currency != STARS:
        raise InvalidOffer("tiers are paid in Telegram Stars only")
    live = {o.tier: o for o in offers(prices)}
    if tier not in live:
        raise InvalidOffer(f"{tier.value} is not on sale")
    if stars != live[tier].stars or total != live[tier].stars:
        raise InvalidOffer(f"the price of {tier.value} changed; open /tier for the current one")
    return live[tier]


def paid_window(
    offer: TierOffer, current: Tier, current_expiry: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """(starts, expires): the same tier still running is extended, anything else starts now."""
    running = current == offer.tier and current_expiry is not None and current_expiry > now
    starts = current_expiry if running and current_expiry else now
    return starts, starts + timedelta(days=offer.days)
