"""Paid tiers with Telegram Stars: offer, invoice, pre-checkout, payment once, expiry, refund."""

from __future__ import annotations

from datetime import timedelta

from bitten.domain.subscription import TierOffer, invoice_payload
from bitten.domain.tiers import Tier
from bitten.services.bot.updates import handle_update
from bitten.services.subscriptions import refund
from bitten.services.upkeep import run_upkeep
from factories import (
    add_trader,
    payment_update,
    pre_checkout_update,
    press_update,
    text_update,
)


def payload(trader, tier=Tier.FANG, stars=750) -> str:
    return invoice_payload(TierOffer(tier=tier, stars=stars), trader.id)


def tier_of(world, trader) -> tuple[str, object]:
    (row,) = world.rows("SELECT tier, tier_expires_at FROM traders WHERE id = %s", trader.id)
    return row["tier"], row["tier_expires_at"]


def pay(world, trader, charge="stx-1", tier=Tier.FANG, stars=750) -> str:
    update = payment_update(
        trader.telegram_id, payload(trader, tier, stars), stars, charge, "successful_payment"
    )
    return handle_update(update, world.bot_deps())


def test_tier_shows_every_tier_the_traders_own_and_a_stars_button_per_paid_tier(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    handle_update(text_update(trader.telegram_id, "/tier"), world.bot_deps())
    (shown,) = world.notifier.messages_to(trader.telegram_id)
    assert "👉 <b>PRESS PASS</b>: demo account only" in shown["text"]
    assert "<b>FANG</b>: live account, 2 open trades · 750 ⭐ / 30 days" in shown["text"]
    assert [row[0].callback_data for row in shown["buttons"]] == [
        "buy:NIBBLER",
        "buy:FANG",
        "buy:COMMANDER",
    ]


def test_a_buy_button_sends_a_stars_invoice(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    update = press_update(trader.telegram_id, "buy:FANG")
    assert handle_update(update, world.bot_deps()) == "invoice_sent"
    (invoice,) = world.notifier.invoices
    assert (invoice["chat_id"], invoice["stars"], invoice["payload"]) == (
        trader.telegram_id,
        750,
        payload(trader),
    )


def test_pre_checkout_accepts_the_live_offer_and_refuses_a_stale_price(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    good = pre_checkout_update(trader.telegram_id, payload(trader), 750)
    stale = pre_checkout_update(trader.telegram_id, payload(trader, stars=500), 500)
    assert handle_update(good, world.bot_deps()) == "pre_checkout_ok"
    assert handle_update(stale, world.bot_deps()) == "pre_checkout_refused"
    answers = world.notifier.pre_checkouts
    assert answers[good["pre_checkout_query"]["id"]] is None
    assert "price of FANG changed" in answers[stale["pre_checkout_query"]["id"]]


def test_pre_checkout_refuses_an_invoice_issued_to_someone_else(world):
    owner, payer = add_trader(world), add_trader(world)
    query = pre_checkout_update(payer.telegram_id, payload(owner), 750)
    assert handle_update(query, world.bot_deps()) == "pre_checkout_refused"


def test_a_payment_upgrades_once_per_charge_even_when_redelivered(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    assert pay(world, trader) == "tier_upgraded"
    assert pay(world, trader) == "payment_duplicate"  # a new update_id, the same charge
    tier, expires = tier_of(world, trader)
    assert (tier, expires) == ("FANG", world.clock.now() + timedelta(days=30))
    assert "FANG</b> is active until 2024-02-07 10:00 UTC" in world.notifier.sent[-1]["text"]
    assert len(world.rows("SELECT 1 FROM star_payments")) == 1


def test_paying_again_for_the_same_tier_extends_it(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader, "stx-1")
    pay(world, trader, "stx-2")
    assert tier_of(world, trader)[1] == world.clock.now() + timedelta(days=60)


def test_expiry_returns_the_trader_to_press_pass_with_a_message(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader)
    world.clock.advance(timedelta(days=30))
    assert run_upkeep(world.upkeep_deps())["tiers_expired"] == 1
    assert tier_of(world, trader) == ("PRESS_PASS", None)
    told = world.notifier.messages_to(trader.telegram_id)[-1]
    assert "FANG subscription ended" in told["text"] and "/tier to renew" in told["text"]
    assert run_upkeep(world.upkeep_deps())["tiers_expired"] == 0


def test_an_operator_refund_gives_the_stars_back_and_reverts_the_tier(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader, "stx-9")
    assert refund("stx-9", world.bot_deps()) == "refunded"
    assert world.notifier.refunds == [(trader.telegram_id, "stx-9")]
    assert tier_of(world, trader) == ("PRESS_PASS", None)
    assert "Refunded 750 ⭐ for FANG" in world.notifier.sent[-1]["text"]
    # Telegram's own refunded_payment update afterwards changes nothing
    told = payment_update(trader.telegram_id, payload(trader), 750, "stx-9", "refunded_payment")
    assert handle_update(told, world.bot_deps()) == "refund_already"
    assert refund("stx-9", world.bot_deps()) == "already"


def test_a_refund_keeps_the_tier_another_payment_still_covers(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    pay(world, trader, "stx-n", Tier.NIBBLER, 250)
    pay(world, trader, "stx-f", Tier.FANG, 750)
    refund("stx-f", world.bot_deps())
    assert tier_of(world, trader)[0] == "NIBBLER"
