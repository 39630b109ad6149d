"""Stars tiers: what is on sale, the invoice payload, what pre-checkout accepts, the window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from bitten.domain.subscription import (
    InvalidOffer,
    TierOffer,
    check_offer,
    invoice_payload,
    offers,
    paid_window,
    parse_payload,
)
from bitten.domain.tiers import Tier

PRICES = {Tier.NIBBLER: 250, Tier.FANG: 750, Tier.COMMANDER: 2000}
NOW = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)


def test_offers_are_the_paid_tiers_cheapest_first():
    assert [(o.tier, o.stars, o.days) for o in offers(PRICES)] == [
        (Tier.NIBBLER, 250, 30),
        (Tier.FANG, 750, 30),
        (Tier.COMMANDER, 2000, 30),
    ]


def test_payload_round_trips_within_telegrams_128_bytes():
    trader = uuid.uuid4()
    payload = invoice_payload(TierOffer(tier=Tier.COMMANDER, stars=2000), trader)
    assert len(payload.encode()) <= 128
    assert parse_payload(payload) == (Tier.COMMANDER, 2000, trader)


def test_the_current_offer_is_accepted():
    payload = invoice_payload(TierOffer(tier=Tier.FANG, stars=750), uuid.uuid4())
    assert check_offer(payload, "XTR", 750, PRICES).tier == Tier.FANG


@pytest.mark.parametrize(
    "payload,currency,total,why",
    [
        ("tier:FANG:750:" + "0" * 32, "USD", 750, "Telegram Stars only"),
        ("tier:FANG:500:" + "0" * 32, "XTR", 500, "price of FANG changed"),
        ("tier:FANG:750:" + "0" * 32, "XTR", 1, "price of FANG changed"),
        ("tier:PRESS_PASS:1:" + "0" * 32, "XTR", 1, "not on sale"),
        ("donate:100", "XTR", 100, "not one of ours"),
    ],
)
def test_pre_checkout_refuses_what_we_do_not_sell(payload, currency, total, why):
    with pytest.raises(InvalidOffer, match=why):
        check_offer(payload, currency, total, PRICES)


def test_buying_the_running_tier_again_extends_it_from_its_end():
    ends = NOW + timedelta(days=10)
    starts, expires = paid_window(TierOffer(tier=Tier.FANG, stars=750), Tier.FANG, ends, NOW)
    assert (starts, expires) == (ends, ends + timedelta(days=30))


def test_another_tier_or_an_ended_one_starts_now():
    offer = TierOffer(tier=Tier.FANG, stars=750)
    running_nibbler = NOW + timedelta(days=10)
    assert paid_window(offer, Tier.NIBBLER, running_nibbler, NOW) == (NOW, NOW + timedelta(days=30))
    assert paid_window(offer, Tier.FANG, NOW - timedelta(days=1), NOW)[0] == NOW
