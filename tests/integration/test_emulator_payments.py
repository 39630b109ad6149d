"""The emulator's Stars payments, Mini App launch and flood limits, driven through PTB."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bitten.adapters.hud_auth import verify_init_data
from bitten.adapters.telegram import NotifierError, PtbNotifier
from bitten.local.telegram.emulator import TelegramEmulator
from bitten.ports import Button, Invoice, Outgoing

USER = 6160
INVOICE = Invoice(
    title="BITTEN FANG · 30 days",
    description="FANG: live account, 2 open trades.",
    payload="tier:FANG:750:" + "a" * 32,
    label="FANG 30 days",
    stars=750,
)


@pytest.fixture
def emulator() -> Iterator[TelegramEmulator]:
    with TelegramEmulator() as emu:
        emu.user(USER, "Ann", "ann_fx")
        yield emu


@pytest.fixture
def notifier(emulator: TelegramEmulator) -> Iterator[PtbNotifier]:
    ptb = PtbNotifier(emulator.token, base_url=emulator.bot_api_url)
    yield ptb
    ptb.close()


def answer_pre_checkouts(emulator: TelegramEmulator, notifier: PtbNotifier, error: str | None):
    """A bot that polls for the pre-checkout query and answers it (in the background)."""

    def bot() -> None:
        for _ in range(50):
            for update in emulator.pending_updates():
                if "pre_checkout_query" in update:
                    notifier.answer_pre_checkout(update["pre_checkout_query"]["id"], error)
                    return
            threading.Event().wait(0.05)

    thread = threading.Thread(target=bot, daemon=True)
    thread.start()
    return thread


def test_an_invoice_paid_and_accepted_becomes_a_successful_payment(emulator, notifier):
    # Given a Stars invoice in the trader's chat
    message_id = notifier.send_invoice(USER, INVOICE)
    assert emulator.message(USER, message_id)["invoice"]["total_amount"] == 750
    # When the trader pays and the bot accepts the pre-checkout query
    answer_pre_checkouts(emulator, notifier, None)
    paid = emulator.pay(USER, message_id)
    # Then Telegram reports a successful_payment with the payload and a charge id
    assert paid["ok"] is True
    (service,) = [u for u in emulator.pending_updates() if "message" in u]
    payment = service["message"]["successful_payment"]
    assert payment["invoice_payload"] == INVOICE.payload
    assert payment["telegram_payment_charge_id"] == paid["telegram_payment_charge_id"]
    assert emulator.stats()["star_balance"] == 750


def test_a_refused_pre_checkout_charges_nothing(emulator, notifier):
    message_id = notifier.send_invoice(USER, INVOICE)
    answer_pre_checkouts(emulator, notifier, "the price of FANG changed")
    paid = emulator.pay(USER, message_id)
    assert paid == {"ok": False, "error": "the price of FANG changed"}
    assert emulator.stats()["star_balance"] == 0


def test_a_refund_is_told_to_the_bot_and_cannot_happen_twice(emulator, notifier):
    message_id = notifier.send_invoice(USER, INVOICE)
    answer_pre_checkouts(emulator, notifier, None)
    charge = emulator.pay(USER, message_id)["telegram_payment_charge_id"]
    notifier.refund_stars(USER, charge)
    refunded = [u for u in emulator.pending_updates() if "refunded_payment" in u.get("message", {})]
    assert refunded[0]["message"]["refunded_payment"]["telegram_payment_charge_id"] == charge
    with pytest.raises(NotifierError, match="(?i)charge_already_refunded"):
        notifier.refund_stars(USER, charge)
    assert emulator.stats()["star_balance"] == 0


def test_an_invoice_in_dollars_is_refused(emulator):
    with pytest.raises(Exception, match="CURRENCY_INVALID"):
        emulator.call(
            "sendInvoice",
            {
                "chat_id": USER,
                "title": "t",
                "description": "d",
                "payload": "p",
                "currency": "USD",
                "prices": [{"label": "x", "amount": 1}],
            },
        )


def test_opening_a_web_app_button_gives_the_page_signed_init_data(emulator, notifier):
    # Given an alert with a HUD Mini App button
    hud = "http://hud.test/hud?mission=abc"
    buttons = [[Button(text="HUD", web_app_url=hud)]]
    message_id = notifier.send_message(USER, "alert", buttons)
    # When the trader taps it
    opened = emulator.open_web_app(USER, message_id, "HUD")
    # Then the page loads with initData in the fragment, signed with the bot token
    page, fragment = opened["url"].split("#", 1)
    assert page == hud
    data = parse_qs(fragment)["tgWebAppData"][0]
    user = verify_init_data(data, emulator.token, datetime.now(UTC), timedelta(minutes=1))
    assert user["id"] == USER
    assert urlsplit(opened["page"]).path == "/hud"


def test_a_paid_broadcast_goes_past_the_free_rate_and_is_charged(emulator, notifier):
    # Given 40 users and 40 alerts sent at once with allow_paid_broadcast
    emulator.users(9000, 40)
    for i in range(40):
        notifier.send(Outgoing(chat_id=9000 + i, text="alert", paid_broadcast=True))
    # Then none was refused, and the ones above 30 in a second cost 0.1 Star each
    stats = emulator.stats()
    assert stats["refused_429"] == 0 and stats["paid_messages"] == 40
    assert 0 < float(stats["stars_charged"]) <= 1.0
