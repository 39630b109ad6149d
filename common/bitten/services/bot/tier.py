"""/tier and the Stars purchase: offer buttons, invoice, pre-checkout, payment, refund."""

from __future__ import annotations

from bitten import logs
from bitten.domain.display import utc_date
from bitten.domain.subscription import offers
from bitten.domain.tiers import Tier, tier_allows, tier_name
from bitten.ports import Button
from bitten.services.bot.account import registered
from bitten.services.bot.models import CallbackQuery, Message, PreCheckoutQuery, User
from bitten.services.bot.texts import Chat, esc, say
from bitten.services.deps import BotDeps
from bitten.services.subscriptions import (
    PaidCharge,
    apply_payment,
    invoice_for,
    offer_of,
    pre_checkout_error,
    refund,
)

log = logs.get("bot")


def tier(chat: Chat, user: User, arg: str, deps: BotDeps) -> str:
    """Every tier, what it allows, the trader's own, and a Stars button per paid tier."""
    trader = registered(chat, user, deps)
    if trader is None:
        return "not_registered"
    on_sale = offers(deps.tier_prices)
    price = {o.tier: o for o in on_sale}
    lines = []
    for t in Tier:
        mark = "👉 " if t == trader.tier else ""
        cost = f" · {price[t].stars} ⭐ / {price[t].days} days" if t in price else ""
        lines.append(f"{mark}<b>{tier_name(t)}</b>: {tier_allows(t)}{cost}")
    until = f" until {utc_date(trader.tier_expires_at)}" if trader.tier_expires_at else ""
    lines.append(f"\nYou are on <b>{tier_name(trader.tier)}</b>{until}.")
    lines.append("Pay with Telegram Stars; the same tier again extends it by 30 days.")
    rows = [
        [Button(text=f"{tier_name(o.tier)} · {o.stars} ⭐", callback_data=f"buy:{o.tier.value}")]
        for o in on_sale
    ]
    say(deps.notifier, chat.chat_id, "\n".join(lines), rows or None)
    return "tier"


def on_buy(query: CallbackQuery, deps: BotDeps) -> tuple[str, str]:
    """A 'buy:FANG' button: send the Stars invoice to the trader's private chat."""
    raw = (query.data or "").partition(":")[2]
    offer = offer_of(Tier(raw), deps.tier_prices) if raw in Tier.__members__ else None
    if offer is None:
        return "bad_button", "That tier is not on sale any more; open /tier again."
    with deps.uow() as repos:
        trader = repos.traders.by_telegram(query.from_.id)
    if trader is None:
        return "not_registered", "Send /start first."
    deps.notifier.send_invoice(query.from_.id, invoice_for(trader, offer))
    return "invoice_sent", f"Invoice for {tier_name(offer.tier)} sent below."


def on_pre_checkout(query: PreCheckoutQuery, deps: BotDeps) -> str:
    """Answer within Telegram's 10 s: the trader and the offer must still match."""
    error = pre_checkout_error(
        query.from_.id, query.currency, query.total_amount, query.invoice_payload, deps
    )
    deps.notifier.answer_pre_checkout(query.id, error)
    return "pre_checkout_ok" if error is None else "pre_checkout_refused"


def _charge(message: Message, user: User, refunded: bool) -> PaidCharge:
    paid = message.refunded_payment if refunded else message.successful_payment
    assert paid is not None
    return PaidCharge(
        telegram_id=user.id,
        charge_id=paid.telegram_payment_charge_id,
        currency=paid.currency,
        total=paid.total_amount,
        payload=paid.invoice_payload,
    )


def on_payment(message: Message, user: User, deps: BotDeps) -> str:
    """successful_payment: upgrade once per charge id (a redelivery changes nothing)."""
    payment = apply_payment(_charge(message, user, refunded=False), deps)
    if payment is None:
        return "payment_duplicate"
    say(
        deps.notifier,
        message.chat.id,
        f"⭐ Thank you! <b>{tier_name(payment.tier)}</b> is active until "
        f"{utc_date(payment.expires_at)}: {tier_allows(payment.tier)}.",
    )
    return "tier_upgraded"


def on_refunded(message: Message, user: User, deps: BotDeps) -> str:
    """refunded_payment: Telegram gave the Stars back; the tier follows (once)."""
    charge = _charge(message, user, refunded=True)
    outcome = refund(charge.charge_id, deps, ask_telegram=False)
    log.info("refund %s: %s", esc(charge.charge_id), outcome)
    return f"refund_{outcome}"
