"""Paid tiers with Telegram Stars: invoice, pre-checkout, payment (once per charge), refund,
expiry back to PRESS PASS."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel

from bitten import logs
from bitten.domain.display import utc_date
from bitten.domain.operator import Operator
from bitten.domain.pacing import Priority
from bitten.domain.subscription import (
    StarPayment,
    TierOffer,
    check_offer,
    invoice_payload,
    offers,
    paid_window,
    parse_payload,
)
from bitten.domain.tiers import Tier, tier_allows, tier_name
from bitten.domain.trader import Trader
from bitten.ports import Clock, Invoice, Notifier, Outgoing, Repositories, UnitOfWork

log = logs.get("subscriptions")
ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED"


class PaymentDeps(Protocol):
    uow: UnitOfWork
    clock: Clock
    notifier: Notifier
    tier_prices: dict[Tier, int]


class PaidCharge(BaseModel):
    """A successful_payment / refunded_payment as Telegram reports it."""

    telegram_id: int
    charge_id: str
    currency: str
    total: int
    payload: str


def invoice_for(trader: Trader, offer: TierOffer) -> Invoice:
    """The Stars invoice for one tier, its payload naming the trader and the price."""
    name = tier_name(offer.tier)
    return Invoice(
        title=f"BITTEN {name} · {offer.days} days",
        description=f"{name}: {tier_allows(offer.tier)}. {offer.days} days from payment.",
        payload=invoice_payload(offer, trader.id),
        label=f"{name} {offer.days} days",
        stars=offer.stars,
    )


def offer_of(tier: Tier, prices: dict[Tier, int]) -> TierOffer | None:
    return next((o for o in offers(prices) if o.tier == tier), None)


def pre_checkout_error(
    telegram_id: int, currency: str, total: int, payload: str, deps: PaymentDeps
) -> str | None:
    """Why this payment must not go ahead (shown by Telegram), or None to accept it."""
    try:
        check_offer(payload, currency, total, deps.tier_prices)
        _, _, trader_id = parse_payload(payload)
    except ValueError as why:
        return str(why)
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(telegram_id)
    if trader is None or trader.id != trader_id:
        return "this invoice was issued to another account; open /tier again"
    return None


def apply_payment(charge: PaidCharge, deps: PaymentDeps) -> StarPayment | None:
    """Upgrade the tier for a successful payment; None when this charge was already applied."""
    tier, _, trader_id = parse_payload(charge.payload)
    now = deps.clock.now()
    with deps.uow() as repos:
        trader = repos.traders.get(trader_id)
        if trader is None or trader.telegram_id != charge.telegram_id:
            raise LookupError(f"payment {charge.charge_id} names no trader of this user")
        offer = TierOffer(tier=tier, stars=charge.total)
        starts, expires = paid_window(offer, trader.tier, trader.tier_expires_at, now)
        payment = StarPayment(
            charge_id=charge.charge_id,
            trader_id=trader.id,
            tier=tier,
            stars=charge.total,
            paid_at=now,
            starts_at=starts,
            expires_at=expires,
        )
        if not repos.subscriptions.add(payment):
            return None
        repos.traders.set_tier(trader.id, tier, expires)
        repos.trace.stamp("tier_paid", now, trader_id=trader.id, tier=tier.value, stars=offer.stars)
    return payment


def refund(
    charge_id: str, deps: PaymentDeps, ask_telegram: bool = True, by: Operator | None = None
) -> str:
    """Give the Stars back (operators, audited when `by` is given) or record Telegram's
    refund: refunded, already, unknown, or not_stars (an operator's grant: revoke it instead).

    Telegram first, then the tier: a crash in between is mended by running it again (Telegram
    then answers CHARGE_ALREADY_REFUNDED, which counts as done).
    """
    with deps.uow() as repos:
        payment = repos.subscriptions.get(charge_id)
        trader = repos.traders.get(payment.trader_id) if payment else None
    if payment is None or trader is None:
        return "unknown"
    if payment.source != "stars":
        return "not_stars"
    if payment.refunded_at is not None:
        return "already"
    if ask_telegram:
        _refund_at_telegram(trader.telegram_id, charge_id, deps)
    now = deps.clock.now()
    with deps.uow() as repos:
        if not repos.subscriptions.refund(charge_id, now):
            return "already"
        tier = settle_tier(repos, trader.id, now)
        repos.trace.stamp("tier_refunded", now, trader_id=trader.id, charge=charge_id)
        if by is not None:
            before = {"tier": trader.tier.value, **payment.model_dump(mode="json")}
            after = {"tier": tier.value, "charge_id": charge_id, "refunded_at": now.isoformat()}
            repos.audit.record(by.entry(now, "refund", charge_id, before, after))
    _notify(
        deps,
        trader.telegram_id,
        f"↩️ Refunded {payment.stars} ⭐ for {tier_name(payment.tier)}. "
        f"Your tier is now <b>{tier_name(tier)}</b>.",
        Priority.REPLY,
    )
    return "refunded"


def _refund_at_telegram(user_id: int, charge_id: str, deps: PaymentDeps) -> None:
    try:
        deps.notifier.refund_stars(user_id, charge_id)
    except Exception as err:
        if ALREADY_REFUNDED not in str(err).upper():
            raise


def settle_tier(repos: Repositories, trader_id: UUID, now: datetime) -> Tier:
    """The tier the trader's remaining paid windows give them (PRESS PASS when none)."""
    remaining = repos.subscriptions.active(trader_id, now)
    if remaining:
        repos.traders.set_tier(trader_id, remaining[0].tier, remaining[0].expires_at)
        return remaining[0].tier
    repos.traders.set_tier(trader_id, Tier.PRESS_PASS, None)
    return Tier.PRESS_PASS


def expire_tiers(deps: PaymentDeps) -> int:
    """Move every trader whose paid window ended back to what they still have paid for (or
    PRESS PASS), and tell them."""
    now = deps.clock.now()
    told: list[tuple[Trader, Tier]] = []
    with deps.uow() as repos:
        for trader in repos.traders.tiers_due(now):
            tier = settle_tier(repos, trader.id, now)
            repos.trace.stamp("tier_expired", now, trader_id=trader.id, tier=trader.tier.value)
            told.append((trader, tier))
    for trader, tier in told:
        _notify(
            deps,
            trader.telegram_id,
            f"⌛ Your {tier_name(trader.tier)} subscription ended on "
            f"{utc_date(trader.tier_expires_at or now)}. You are on <b>{tier_name(tier)}</b> "
            f"now ({tier_allows(tier)}). /tier to renew.",
            Priority.REPLY,  # one person's account changed: queued, never put off
        )
    return len(told)


def _notify(deps: PaymentDeps, chat_id: int, text: str, priority: Priority) -> None:
    """Best effort: the tier is already changed; a lost message is logged, not retried."""
    message = Outgoing(chat_id=chat_id, text=text, priority=priority, html=True)
    (sent,) = deps.notifier.deliver([message])
    if sent.message_id is None:
        log.warning("tier message not sent (%s): %s", sent.status, sent.detail)
